package org.mpcensus.job.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.WebOptions;
import org.mpcensus.job.census.run.CensusRunner;
import org.mpcensus.job.runtime.CensusOptions;
import org.mpcensus.job.runtime.JobEnvironment;
import org.mpcensus.job.runtime.RunStatistics;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.CensusRun;
import org.mpcensus.probe.event.InputProgress;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options of every command that runs the census: sink, enrichment, parallelism, -D. */
final class CensusArgs {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
            names = "--parallelism",
            description = "Flink parallelism (default: -D parallelism.default, else 2).")
    Integer parallelism;

    @Option(
            names = "--cluster",
            paramLabel = "HOST:PORT",
            description =
                    "Run the job on a running Flink session cluster (its REST endpoint) instead of"
                            + " a local MiniCluster. Its classpath must hold mpcensus.jar (as"
                            + " job/cluster/flink-cluster's does); files are read and DuckDB"
                            + " written by its processes, so name them by absolute paths.")
    String cluster;

    @Option(
            names = "-D",
            paramLabel = "KEY=VALUE",
            description = "Any Flink or mpcensus option, e.g. -D mpcensus.sink.batch-size=10000.")
    Map<String, String> properties = Map.of();

    /** The configuration of the -D options with the others set on top. */
    Configuration configuration() {
        Configuration conf = Configuration.fromMap(properties);
        // Only what is given on the command line overrides -D.
        if (parallelism != null) {
            conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        } else if (!conf.containsKey(CoreOptions.DEFAULT_PARALLELISM.key())) {
            conf.set(CoreOptions.DEFAULT_PARALLELISM, 2);
        }
        int p;
        try {
            p = conf.get(CoreOptions.DEFAULT_PARALLELISM);
        } catch (IllegalArgumentException e) {
            throw new UserError("-D parallelism.default is not a number");
        }
        if (p < 1) {
            throw new UserError("the parallelism is at least 1, not " + p);
        }
        // Flink's temporary files (its RPC jar, the MiniCluster's blobs) go to this run's own
        // directory, removed when the process ends.
        String runDirectory = System.getProperty(MpcensusCommand.RUN_DIRECTORY);
        if (runDirectory != null && !conf.contains(CoreOptions.TMP_DIRS)) {
            conf.set(CoreOptions.TMP_DIRS, runDirectory);
        }
        if (runDirectory != null && !conf.contains(WebOptions.UPLOAD_DIR)) {
            // The REST endpoint makes its upload directory at start, even when nothing is sent.
            conf.set(WebOptions.UPLOAD_DIR, runDirectory);
        }
        // The command's flags, over their -D values.
        Flags.apply(spec, conf);
        if (cluster != null) {
            int colon = cluster.lastIndexOf(':');
            if (colon <= 0 || !cluster.substring(colon + 1).matches("[0-9]{1,5}")) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--cluster takes HOST:PORT, not " + cluster);
            }
            String host = cluster.substring(0, colon);
            int port = Integer.parseInt(cluster.substring(colon + 1));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 3000);
            } catch (IOException e) {
                throw new UserError(
                        "no Flink cluster answers at "
                                + cluster
                                + " ("
                                + e.getMessage()
                                + "); job/cluster/flink-cluster start makes one");
            }
            conf.set(DeploymentOptions.TARGET, JobEnvironment.REMOTE);
            conf.set(RestOptions.ADDRESS, host);
            conf.set(RestOptions.PORT, port);
        }
        Preflight.checkOptions(conf);
        return conf;
    }

    /** Whether the command line gave a flag of the command's {@link Flags}. */
    boolean given(String flag) {
        return Flags.given(spec, flag);
    }

    /**
     * Checks a command's complete configuration before its job starts: options, the sink URL, the
     * enrichment files.
     *
     * @return the census database
     */
    CensusDatabase check(Configuration conf) {
        Preflight.checkOptions(conf);
        Preflight.checkEnrichment(conf);
        return Preflight.database(conf);
    }

    /** The final line of a run: its replies, dead letters and late replies. */
    static final Function<RunStatistics, String> COUNTS =
            stats ->
                    String.format(
                            "%,d replies, %,d dead letters, %,d late replies",
                            stats.replies(), stats.deadLetters(), stats.lateReplies());

    /**
     * A run of a command on the census ({@link CensusRunner}), with the options given on the
     * command line and the checkpoints of the command.
     */
    CensusRunner runner(CensusDatabase db, String command, CheckpointArgs checkpoints) {
        return CensusRunner.of(db, command)
                .options(givenOptions())
                .checkpoints(checkpoints.directory(), checkpoints.resuming());
    }

    /**
     * Runs a census job in its run, then prints the final line (made from the run's statistics by
     * {@code done}) and names the files whose rows mostly failed for one reason on stderr.
     */
    RunStatistics run(
            String command,
            CensusRunner runner,
            CensusRunner.CensusJob job,
            Function<RunStatistics, String> done)
            throws Exception {
        long start = System.nanoTime();
        RunStatistics stats;
        try {
            stats = runner.run(job);
        } catch (CensusRun.Refused e) {
            throw new UserError(e.getMessage());
        }
        StatusLine.printDone(command, start, done.apply(stats));
        for (String p : stats.dominantProblems()) {
            System.err.println("mpcensus " + command + ": " + p);
        }
        return stats;
    }

    /**
     * A census job that prints a {@link StatusLine} while it runs on a local MiniCluster (on a
     * cluster, the counters are in other processes), every {@link CensusOptions#STATUS_INTERVAL}.
     *
     * @param totalBytes the input's bytes, or -1 when unknown
     */
    CensusRunner.CensusJob withStatus(
            String command, Configuration conf, long totalBytes, CensusRunner.CensusJob job) {
        Duration interval = conf.get(CensusOptions.STATUS_INTERVAL);
        if (cluster != null || interval.isZero() || interval.isNegative()) {
            return job;
        }
        return run -> {
            try (StatusLine s =
                    new StatusLine(
                            command,
                            totalBytes,
                            interval,
                            InputProgress::records,
                            InputProgress::bytes,
                            InputProgress::deadLetters,
                            System.err)) {
                return job.run(run);
            }
        };
    }

    /**
     * A census job that prints the progress of its network stages (path verification, HTTP timing)
     * while it runs on a local MiniCluster ({@link StageStatus}), every {@link
     * CensusOptions#STATUS_INTERVAL}, and their totals at its end.
     */
    CensusRunner.CensusJob withStageStatus(
            String command, Configuration conf, CensusRunner.CensusJob job) {
        if (cluster != null) {
            return job;
        }
        return run -> {
            try (StageStatus s =
                    new StageStatus(command, conf.get(CensusOptions.STATUS_INTERVAL), System.err)) {
                return job.run(run);
            }
        };
    }

    /** The options given on the command line, for {@code census_runs}. */
    String givenOptions() {
        List<String> out = new ArrayList<>();
        for (String arg : spec.commandLine().getParseResult().originalArgs()) {
            out.add(arg.contains("password") ? "-D ...password=***" : arg);
        }
        return String.join(" ", out);
    }
}
