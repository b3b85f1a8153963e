package org.mpcensus.job.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.WebOptions;
import org.mpcensus.job.census.memory.CensusMemory;
import org.mpcensus.job.http.HttpMemory;
import org.mpcensus.job.output.RememberedCensus;
import org.mpcensus.job.runtime.CensusOptions;
import org.mpcensus.job.runtime.JobEnvironment;
import org.mpcensus.job.runtime.RunStatistics;
import org.mpcensus.job.schema.InputRow;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.CensusRun;
import org.mpcensus.job.sink.InputLedger;
import org.mpcensus.job.sink.SinkOptions;
import org.mpcensus.probe.event.InputProgress;
import org.mpcensus.udf.enrich.EnrichmentOptions;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options of every command that runs the census: sink, enrichment, parallelism, -D. */
final class CensusArgs {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
            names = "--sink",
            paramLabel = "URL",
            description =
                    "duckdb:PATH or jdbc:postgresql://HOST:PORT/DB (default: -D mpcensus.sink.url,"
                            + " else duckdb:mpcensus.duckdb).")
    String sink;

    @Option(
            names = "--asn-table",
            paramLabel = "FILE",
            description =
                    "IP-to-ASN table (pyasn .dat or CAIDA pfx2as, gzip allowed). Default: AS 0.")
    String asnTable;

    @Option(
            names = "--country-db",
            paramLabel = "FILE",
            description = "MaxMind GeoLite2/GeoIP2 Country .mmdb for host countries.")
    String countryDb;

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
        Settings.setIfGiven(conf, SinkOptions.URL, sink);
        Settings.setIfGiven(conf, EnrichmentOptions.ASN_TABLE, asnTable);
        Settings.setIfGiven(conf, EnrichmentOptions.COUNTRY_DB, countryDb);
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

    /**
     * The files of a bounded run that reads files (replay, traffic): planned against the census
     * once the run holds it ({@link InputLedger}: files whose content the census holds are skipped)
     * and recorded with the run's results.
     */
    static final class ReplayFiles {
        final List<String> inputs;
        final boolean reapply;

        /** The plan, once the run has started. */
        InputLedger plan;

        ReplayFiles(List<String> inputs, boolean reapply) {
            this.inputs = inputs;
            this.reapply = reapply;
        }
    }

    /** The files the command replays, or null. */
    ReplayFiles files;

    /**
     * The configuration of a command whose job adds replies to the census (replay, probe, analyze):
     * a bounded run of it then continues the census's months from the memory of every run ({@link
     * CensusMemory}). Null for the other commands.
     */
    Configuration continuing;

    /**
     * The first month a continuous job of the command can change ({@link
     * org.mpcensus.udf.month.Months#index}), or null when its input can be of any month.
     */
    Integer firstOpenMonth;

    /**
     * What a continuous job takes in from the census's memory: set when its run starts, before the
     * job is built ({@link RememberedCensus#NONE} when the job restores its state); null for a
     * bounded run, which continues the census when it ends.
     */
    RememberedCensus remembered;

    /** Whether the command's job can time HTTP (its runs then add to the census's). */
    boolean timesHttp;

    /**
     * The number the job's HTTP timing runs start at ({@link HttpMemory#nextRun}): set when its run
     * starts, before the job is built.
     */
    int httpRunsFrom;

    /** A census job that writes into the database it is given. */
    interface CensusJob {
        JobExecutionResult run(CensusDatabase database) throws Exception;
    }

    /**
     * Runs a census job as one {@link CensusRun}: a bounded job's results become visible together
     * when it completes, or not at all; a continuous job writes the census directly. Names the
     * files whose rows mostly failed for one reason on stderr.
     *
     * @param scanIdsAreFiles whether each reply's scan id names its input file (see {@link
     *     RunStatistics#of})
     */
    RunStatistics run(
            CensusDatabase db,
            String command,
            String inputs,
            boolean bounded,
            boolean scanIdsAreFiles,
            CheckpointArgs checkpoints,
            CensusJob job)
            throws Exception {
        return run(
                db,
                command,
                inputs,
                bounded,
                scanIdsAreFiles,
                checkpoints,
                job,
                stats ->
                        String.format(
                                "%,d replies, %,d dead letters, %,d late replies",
                                stats.replies(), stats.deadLetters(), stats.lateReplies()));
    }

    /** The same, with the final line's text made from the run's statistics by {@code done}. */
    RunStatistics run(
            CensusDatabase db,
            String command,
            String inputs,
            boolean bounded,
            boolean scanIdsAreFiles,
            CheckpointArgs checkpoints,
            CensusJob job,
            java.util.function.Function<RunStatistics, String> done)
            throws Exception {
        CensusRun run;
        try {
            run =
                    bounded
                            ? CensusRun.bounded(
                                    db,
                                    command,
                                    inputs,
                                    givenOptions(),
                                    checkpoints.directory(),
                                    checkpoints.resuming())
                            : CensusRun.direct(db, command, inputs, givenOptions());
        } catch (CensusRun.Refused e) {
            throw new UserError(e.getMessage());
        }
        long start = System.nanoTime();
        try (run) {
            CompletableFuture<List<InputRow>> read = null;
            if (files != null && bounded) {
                files.plan = InputLedger.plan(run.database(), files.inputs, files.reapply, command);
                files.plan
                        .skipped()
                        .forEach(l -> System.err.println("mpcensus " + command + ": " + l));
                read = files.plan.rows(run.id(), run.startedMicros());
            }
            if (!bounded && continuing != null) {
                remember(run, command);
            }
            if (timesHttp) {
                httpRunsFrom = HttpMemory.nextRun(run.database());
            }
            RunStatistics stats = RunStatistics.of(job.run(run.database()), scanIdsAreFiles);
            if (bounded && continuing != null) {
                long began = System.nanoTime();
                CensusMemory.Continued c = CensusMemory.continueRun(run.database(), continuing);
                if (!c.months().isEmpty()) {
                    String first = c.months().get(0);
                    String last = c.months().get(c.months().size() - 1);
                    System.err.printf(
                            "mpcensus %s: continued the census in %s (and the months its windows"
                                    + " reach) from the memory of every run: %,d replies of the"
                                    + " MPTCP path, %,d keys of plain responders, in %.1f s%n",
                            command,
                            first.equals(last) ? first : first + ".." + last,
                            c.replies(),
                            c.plainKeys(),
                            (System.nanoTime() - began) / 1e9);
                }
            }
            if (bounded && timesHttp) {
                // The deltas of the hosts this run timed, over every run of theirs.
                HttpMemory.continueRun(run.database(), httpRunsFrom);
            }
            if (read != null) {
                InputLedger.record(run.database(), read.join());
            }
            run.commit(stats.replies(), stats.deadLetters(), stats.lateReplies());
            StatusLine.printDone(command, start, done.apply(stats));
            for (String p : stats.dominantProblems()) {
                System.err.println("mpcensus " + command + ": " + p);
            }
            return stats;
        }
    }

    /**
     * Loads what a continuous job started without state continues from the census's memory; a job
     * restored from a checkpoint or savepoint has it in its state.
     */
    private void remember(CensusRun run, String command) throws Exception {
        if (continuing.contains(StateRecoveryOptions.SAVEPOINT_PATH)) {
            remembered = RememberedCensus.NONE;
            return;
        }
        long began = System.nanoTime();
        remembered = CensusMemory.remembered(run.database(), continuing, firstOpenMonth);
        if (!remembered.isEmpty()) {
            List<String> months = remembered.months();
            System.err.printf(
                    "mpcensus %s: continues the census in %s from the memory of earlier runs:"
                            + " %,d replies of the MPTCP path, %,d keys of plain responders,"
                            + " loaded in %.1f s%n",
                    command,
                    months.size() == 1
                            ? months.get(0)
                            : months.get(0) + ".." + months.get(months.size() - 1),
                    remembered.replies().size(),
                    remembered.plain().size(),
                    (System.nanoTime() - began) / 1e9);
        }
    }

    /**
     * A census job that prints a {@link StatusLine} while it runs on a local MiniCluster (on a
     * cluster, the counters are in other processes), every {@link CensusOptions#STATUS_INTERVAL}.
     *
     * @param totalBytes the input's bytes, or -1 when unknown
     */
    CensusJob withStatus(String command, Configuration conf, long totalBytes, CensusJob job) {
        Duration interval = conf.get(CensusOptions.STATUS_INTERVAL);
        if (cluster != null || interval.isZero() || interval.isNegative()) {
            return job;
        }
        return db -> {
            try (StatusLine s =
                    new StatusLine(
                            command,
                            totalBytes,
                            interval,
                            InputProgress::records,
                            InputProgress::bytes,
                            InputProgress::deadLetters,
                            System.err)) {
                return job.run(db);
            }
        };
    }

    /**
     * A census job that prints the progress of its network stages (path verification, HTTP timing)
     * while it runs on a local MiniCluster ({@link StageStatus}), every {@link
     * CensusOptions#STATUS_INTERVAL}, and their totals at its end.
     */
    CensusJob withStageStatus(String command, Configuration conf, CensusJob job) {
        if (cluster != null) {
            return job;
        }
        return db -> {
            try (StageStatus s =
                    new StageStatus(command, conf.get(CensusOptions.STATUS_INTERVAL), System.err)) {
                return job.run(db);
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
