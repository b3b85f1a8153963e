package org.mpcensus.job.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests: started from the installed binaries ({@code
 * /usr/lib/postgresql/N/bin}) in a fresh data directory on a free loopback port, as the {@code
 * postgres} user when running as root (PostgreSQL refuses root), and stopped and deleted by {@link
 * #close()}. When {@code MPCENSUS_TEST_PG_URL} is set, that server is used instead.
 */
public final class PostgresServer implements AutoCloseable {
    private final String url;
    private final Path dir;
    private final Path bin;
    private final boolean asPostgres;

    private PostgresServer(String url, Path dir, Path bin, boolean asPostgres) {
        this.url = url;
        this.dir = dir;
        this.bin = bin;
        this.asPostgres = asPostgres;
    }

    /** Starts a server, or connects to the one named by {@code MPCENSUS_TEST_PG_URL}. */
    public static PostgresServer start() throws Exception {
        String given = System.getenv("MPCENSUS_TEST_PG_URL");
        if (given != null && !given.isBlank()) {
            return new PostgresServer(given, null, null, false);
        }
        Path bin = findBin();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "mpcensus-pg-");
        if (root) {
            run(List.of("chown", "postgres:postgres", dir.toString()), false);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path data = dir.resolve("data");
        run(
                List.of(
                        bin.resolve("initdb").toString(),
                        "-D",
                        data.toString(),
                        "-U",
                        "postgres",
                        "-A",
                        "trust",
                        "-E",
                        "UTF8",
                        "--locale=C.UTF-8",
                        "--no-sync"),
                root);
        run(
                List.of(
                        bin.resolve("pg_ctl").toString(),
                        "-D",
                        data.toString(),
                        "-l",
                        dir.resolve("pg.log").toString(),
                        "-w",
                        "-t",
                        "60",
                        "-o",
                        "-c listen_addresses=127.0.0.1 -p " + port + " -k " + dir + " -c fsync=off",
                        "start"),
                root);
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
        PostgresServer server = new PostgresServer(url, dir, bin, root);
        try (Connection c = DriverManager.getConnection(url)) {
            c.isValid(5);
        }
        return server;
    }

    private static Path findBin() throws IOException {
        Path base = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(base)) {
            throw new IllegalStateException(
                    "PostgreSQL is not installed (no /usr/lib/postgresql): apt-get install postgresql,"
                            + " or set MPCENSUS_TEST_PG_URL");
        }
        try (Stream<Path> versions = Files.list(base)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.naturalOrder())
                    .orElseThrow(() -> new IllegalStateException("no pg_ctl below " + base));
        }
    }

    private static void run(List<String> command, boolean asPostgres) throws Exception {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process p =
                new ProcessBuilder(full)
                        .redirectErrorStream(true)
                        .redirectOutput(new File("/dev/null"))
                        .directory(new File("/tmp"))
                        .start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("failed: " + String.join(" ", full));
        }
    }

    /** A JDBC URL with credentials. */
    public String url() {
        return url;
    }

    /** Creates a fresh database and returns its URL. */
    public String createDatabase(String name) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name);
        }
        return url.replace("/postgres?", "/" + name + "?");
    }

    @Override
    public void close() throws Exception {
        if (dir == null) {
            return;
        }
        try {
            run(
                    List.of(
                            bin.resolve("pg_ctl").toString(),
                            "-D",
                            dir.resolve("data").toString(),
                            "-m",
                            "immediate",
                            "-w",
                            "stop"),
                    asPostgres);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
