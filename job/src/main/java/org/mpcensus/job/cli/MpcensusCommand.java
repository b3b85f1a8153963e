package org.mpcensus.job.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mpcensus} command line: one subcommand per task. Exit status 0 when the command did
 * its work (bad input rows are dead letters, not failures), 2 for a user's mistake (one line on
 * stderr: what, where, what to do), 1 for a failure of mpcensus or of what it runs on (one line,
 * and the path of the log file that holds the details).
 */
@Command(
        name = "mpcensus",
        mixinStandardHelpOptions = true,
        version = "mpcensus 0.1.0",
        description = "Measures which hosts really speak Multipath TCP, as an Apache Flink job.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:done (bad input rows are kept as dead letters)",
            "1:failed; the log file named on stderr holds the details",
            "2:a mistake in the command line or its files, named on stderr"
        },
        subcommands = {
            DecodeCommand.class,
            ReplayCommand.class,
            SynthCommand.class,
            ProbeCommand.class,
            VerifyCommand.class,
            HttpTimingCommand.class,
            ReportCommand.class,
            TrafficCommand.class,
            AnalyzeCommand.class,
            ClusterJobCommand.class,
            SqlCommand.class,
            TestbedCommand.class,
            CommandLine.HelpCommand.class
        })
public final class MpcensusCommand implements Runnable {

    /** The system property naming the log file (Flink's log and mpcensus's failures). */
    public static final String LOG_FILE = "mpcensus.log.file";

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * The system property naming the directory of this run's temporary files (Flink's {@code
     * io.tmp.dirs} of the local MiniCluster), removed when the process ends.
     */
    public static final String RUN_DIRECTORY = "mpcensus.run.directory";

    public static void main(String[] args) {
        boolean defaultLog = System.getProperty(LOG_FILE) == null;
        if (defaultLog) {
            System.setProperty(LOG_FILE, logFile().toString());
        }
        Path runDirectory = null;
        try {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            String own = RUN_DIRECTORY_PREFIX + ProcessHandle.current().pid() + "-";
            if (tmp.getFileName() != null && tmp.getFileName().toString().startsWith(own)) {
                // The launcher made the JVM's temporary directory a run directory of this
                // process, so that what libraries unpack there (Flink's RPC jar) goes too.
                removeStaleRunDirectories(tmp.getParent());
                runDirectory = tmp;
            } else {
                removeStaleRunDirectories(tmp);
                runDirectory = Files.createTempDirectory(own);
            }
            System.setProperty(RUN_DIRECTORY, runDirectory.toString());
            Path remove = runDirectory;
            // Also on Ctrl-C and SIGTERM: a run leaves no temporary file behind. The files go
            // after every shutdown hook has run (Flink's load classes from a jar in there).
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(() -> deleteAtExit(remove), "mpcensus-cleanup"));
        } catch (IOException e) {
            // Without a directory of its own, Flink uses the system's temporary directory.
        }
        int exit = commandLine().execute(args);
        if (exit == 0 && defaultLog) {
            // Flink's warnings of a run that succeeded mean nothing to its user.
            try {
                Files.deleteIfExists(logFile());
            } catch (IOException e) {
                // left behind, harmless
            }
        }
        System.out.flush();
        System.err.flush();
        if (runDirectory != null) {
            deleteTree(runDirectory);
        }
        // The command has returned and its MiniCluster is closed: the shutdown hooks of Flink and
        // Pekko have nothing left to do, and Pekko's races with the RPC class loader Flink closed
        // (a NoClassDefFoundError on stderr after a run that succeeded). Ctrl-C and SIGTERM still
        // run every hook.
        Runtime.getRuntime().halt(exit);
    }

    /** The name of a run directory: this prefix, the process id, '-' and a random part. */
    static final String RUN_DIRECTORY_PREFIX = "mpcensus-run-";

    /**
     * Removes the run directories of processes that ended without removing theirs (killed with
     * {@code kill -9}, or by the machine's end), so that a killed run's files go with the next run.
     */
    static void removeStaleRunDirectories(Path tmp) {
        try (java.util.stream.Stream<Path> all = Files.list(tmp)) {
            all.filter(p -> p.getFileName().toString().startsWith(RUN_DIRECTORY_PREFIX))
                    .filter(MpcensusCommand::ownerEnded)
                    .forEach(MpcensusCommand::deleteTree);
        } catch (IOException | java.io.UncheckedIOException e) {
            // nothing to clean, or not ours to list
        }
    }

    /** Whether the process that made a run directory has ended (false when the name has no pid). */
    static boolean ownerEnded(Path runDirectory) {
        String rest =
                runDirectory.getFileName().toString().substring(RUN_DIRECTORY_PREFIX.length());
        int dash = rest.indexOf('-');
        if (dash <= 0) {
            return false;
        }
        try {
            long pid = Long.parseLong(rest.substring(0, dash));
            return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Deletes a directory and everything under it as the JVM ends: at once, but for the jars
     * (Flink's RPC classes, which Flink's own shutdown hooks still load), which go with the
     * directory after every shutdown hook has run (files marked for deletion on exit go last,
     * children first).
     */
    static void deleteAtExit(Path dir) {
        deleteTree(dir, p -> p.getFileName().toString().endsWith(".jar"));
        try (java.util.stream.Stream<Path> left = Files.walk(dir)) {
            left.forEach(p -> p.toFile().deleteOnExit());
        } catch (IOException | java.io.UncheckedIOException | IllegalStateException e) {
            // gone already, or the JVM is past its hooks
        }
    }

    /** Deletes a directory and everything under it, as far as it can. */
    static void deleteTree(Path dir) {
        deleteTree(dir, p -> false);
    }

    /** Deletes what is under a directory (and it) but the files {@code kept}, as far as it can. */
    private static void deleteTree(Path dir, java.util.function.Predicate<Path> kept) {
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder())
                    .filter(kept.negate())
                    .forEach(
                            p -> {
                                try {
                                    Files.deleteIfExists(p);
                                } catch (IOException e) {
                                    // still in use, a directory with a kept file, or gone
                                }
                            });
        } catch (IOException | java.io.UncheckedIOException e) {
            // gone already
        }
    }

    /** The log file of this process: {@code mpcensus-<pid>.log} in the temporary directory. */
    static Path logFile() {
        String given = System.getProperty(LOG_FILE);
        if (given != null) {
            return Path.of(given);
        }
        return Path.of(
                System.getProperty("java.io.tmpdir"),
                "mpcensus-" + ProcessHandle.current().pid() + ".log");
    }

    /** The command line: every error is one line on stderr (see the class comment). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new MpcensusCommand());
        Flags.declare(cl);
        // "--input a.csv --bogus" is an unknown option, not a file named --bogus.
        cl.setUnmatchedOptionsAllowedAsOptionParameters(false);
        cl.setParameterExceptionHandler(
                (e, args) -> {
                    CommandLine cmd = e.getCommandLine();
                    String name = cmd.getCommandSpec().qualifiedName();
                    cmd.getErr()
                            .println(
                                    name
                                            + ": "
                                            + oneLine(e.getMessage())
                                            + " (see "
                                            + name
                                            + " --help)");
                    cmd.getErr().flush();
                    return 2;
                });
        cl.setExecutionExceptionHandler(
                (e, cmd, parsed) -> {
                    String name = cmd.getCommandSpec().qualifiedName();
                    UserError user = userError(e);
                    if (user != null) {
                        cmd.getErr().println(name + ": " + oneLine(user.getMessage()));
                        cmd.getErr().flush();
                        return 2;
                    }
                    Path log = logFile();
                    String where = record(log, name, e) ? " (details in " + log + ")" : "";
                    cmd.getErr().println(name + ": failed: " + summary(e) + where);
                    cmd.getErr().flush();
                    return 1;
                });
        return cl;
    }

    /** The user's mistake behind an exception, if that is what it is. */
    private static UserError userError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UserError u) {
                return u;
            }
            if (t instanceof org.mpcensus.probe.wire.WireSetupException w) {
                return new UserError(w.getMessage());
            }
        }
        return null;
    }

    /** The innermost message of an exception chain, on one line. */
    static String summary(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return oneLine(m == null || m.isBlank() ? root.getClass().getSimpleName() : m);
    }

    /**
     * A message as one line of the terminal: its first line; one longer than 900 characters (a
     * value or a foreign message quoted whole) keeps its first 700 and its last 200, where what to
     * do stands.
     */
    static String oneLine(String message) {
        String text = Preflight.firstLine(message);
        return text.length() > 900
                ? text.substring(0, 700) + " ... " + text.substring(text.length() - 200)
                : text;
    }

    /** Appends the failure with its trace to the log file; false when it cannot be written. */
    private static boolean record(Path log, String command, Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        try {
            Files.writeString(
                    log,
                    Instant.now() + " " + command + " failed:\n" + trace + "\n",
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            return true;
        } catch (IOException io) {
            return false;
        }
    }
}
