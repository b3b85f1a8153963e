package org.mpcensus.job.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.mpcensus.job.runtime.LoopbackEndpoints;
import org.mpcensus.job.sink.SinkOptions;
import org.mpcensus.job.sql.SqlSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mpcensus sql}: Flink's own SQL client, in embedded mode on a local MiniCluster, with the
 * SQL functions, the Kafka tables and the PostgreSQL catalog of the local setup declared.
 */
@Command(
        name = "sql",
        mixinStandardHelpOptions = true,
        description = {
            "Open Flink's SQL client (embedded, local MiniCluster) with mpcensus's functions and,"
                    + " as given, the replies topic (table replies), the table topics (census_*"
                    + " tables) and the PostgreSQL tables (catalog census: USE CATALOG census).",
            "The recipes are in sql/src/main/resources/mpcensus/sql/recipes; --print-init prints"
                    + " the init script for a cluster's SQL client (sql-client.sh -i)."
        })
public final class SqlCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = {"-f", "--file"},
            paramLabel = "FILE",
            description = "Run the statements of FILE and exit instead of opening a session.")
    Path file;

    @Option(names = "--print-init", description = "Print the init script and exit.")
    boolean printInit;

    @Option(
            names = "--once",
            description =
                    "Batch mode: each query prints its final table once, and with -f the client"
                            + " then exits. With --postgres the session uses catalog census, so"
                            + " the census_* tables are PostgreSQL's; the topics are streams:"
                            + " query them without --once.")
    boolean once;

    @Option(names = "-D", paramLabel = "KEY=VALUE", description = "Any mpcensus option.")
    Map<String, String> properties = Map.of();

    @Override
    public Integer call() throws Exception {
        Preflight.fileToRead("--file", file);
        Configuration conf = Configuration.fromMap(properties);
        Flags.apply(spec, conf);
        String init;
        try {
            init = SqlSession.initFile(conf, !once);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        if (printInit) {
            // A printed script is stored and shared: the password stays out of it.
            Configuration printed = new Configuration(conf);
            printed.set(SinkOptions.PASSWORD, PASSWORD_PLACEHOLDER);
            String script = SqlSession.initFile(printed);
            if (script.contains(PASSWORD_PLACEHOLDER)) {
                System.out.println(
                        "-- Replace "
                                + PASSWORD_PLACEHOLDER
                                + " by the PostgreSQL password where the script is used (the"
                                + " SQL Gateway's init container does, from its Secret).");
            }
            System.out.print(script);
            return 0;
        }
        // The SQL client's files, the init script with the password among them, only for this
        // user and only while the client runs.
        Path dir =
                Files.createTempDirectory(
                        "mpcensus-sql-",
                        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                                java.nio.file.attribute.PosixFilePermissions.fromString(
                                        "rwx------")));
        try {
            // One answer from the database: its catalog is the session's, so that a recipe's
            // census_* tables are the PostgreSQL tables, not the topics.
            return runClient(
                    dir,
                    once && SqlSession.declaresCatalog(conf)
                            ? init + "USE CATALOG " + SqlSession.CATALOG + ";\n"
                            : init);
        } finally {
            MpcensusCommand.deleteTree(dir);
        }
    }

    /** The placeholder of the password in a printed init script. */
    static final String PASSWORD_PLACEHOLDER = "@POSTGRES_PASSWORD@";

    private int runClient(Path dir, String init) throws Exception {
        Path confDir = Files.createDirectories(dir.resolve("conf"));
        List<String> config = new ArrayList<>();
        config.add("execution.target: local");
        config.add("execution.runtime-mode: " + (once ? "batch" : "streaming"));
        config.add("sql-client.execution.result-mode: tableau");
        config.add("parallelism.default: 2");
        config.addAll(LoopbackEndpoints.yamlLines());
        config.add("");
        Files.writeString(confDir.resolve("config.yaml"), String.join("\n", config));
        Files.writeString(
                confDir.resolve("log4j2.properties"),
                String.join(
                        "\n",
                        "rootLogger.level=INFO",
                        "rootLogger.appenderRef.file.ref=file",
                        "appender.file.type=File",
                        "appender.file.name=file",
                        "appender.file.fileName=" + dir.resolve("sql-client.log"),
                        "appender.file.layout.type=PatternLayout",
                        "appender.file.layout.pattern=%d %p %c{1} %m%n",
                        ""));
        Path initFile = dir.resolve("init.sql");
        Files.writeString(initFile, init);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Dlog4j2.configurationFile=" + confDir.resolve("log4j2.properties"));
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add("org.apache.flink.table.client.SqlClient");
        cmd.add("embedded");
        cmd.add("-i");
        cmd.add(initFile.toString());
        if (file != null) {
            cmd.add("-f");
            cmd.add(file.toAbsolutePath().toString());
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put("FLINK_CONF_DIR", confDir.toString());
        int exit = pb.start().waitFor();
        if (exit != 0) {
            String saved = "";
            // The directory goes; its log stays for the user to read.
            Path log =
                    Path.of(
                            System.getProperty("java.io.tmpdir"),
                            "mpcensus-sql-" + ProcessHandle.current().pid() + ".log");
            if (Files.exists(dir.resolve("sql-client.log"))) {
                Files.copy(
                        dir.resolve("sql-client.log"),
                        log,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                saved = " (its log: " + log + ")";
            }
            System.err.println(
                    "mpcensus sql: failed: the SQL client ended with status " + exit + saved);
            return 1;
        }
        return 0;
    }

    /** This program's jar, or its class path when it runs from classes. */
    private static String classPath() throws Exception {
        File self =
                new File(
                        SqlCommand.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI());
        return self.isFile() ? self.toString() : System.getProperty("java.class.path");
    }
}
