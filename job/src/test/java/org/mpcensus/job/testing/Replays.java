package org.mpcensus.job.testing;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.mpcensus.job.census.ReplayJob;
import org.mpcensus.job.census.SyntheticScan;
import org.mpcensus.job.kafka.KafkaOptions;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.DatabaseOutput;
import org.mpcensus.job.sink.SinkOptions;
import org.mpcensus.udf.enrich.EnrichmentOptions;

/** Runs replays the way {@code mpcensus replay} does, on a local MiniCluster of parallelism 2. */
public final class Replays {
    private Replays() {}

    /** The shipped sample archive and its ASN table. */
    public static Path sample() {
        return Path.of("samples/zmap-sample.csv").toAbsolutePath();
    }

    public static Path sampleAsnTable() {
        return Path.of("samples/sample-asn.dat").toAbsolutePath();
    }

    /** The arguments of a replay of the sample archive, enriched, into a census: from "replay". */
    public static List<String> sampleReplay(String sinkUrl) {
        return List.of(
                "replay",
                "--input",
                sample().toString(),
                "--asn-table",
                sampleAsnTable().toString(),
                "--no-summary",
                "--sink",
                sinkUrl);
    }

    public static Configuration conf(String sinkUrl) {
        Configuration conf = new Configuration();
        conf.set(CoreOptions.DEFAULT_PARALLELISM, 2);
        conf.set(SinkOptions.URL, sinkUrl);
        conf.set(EnrichmentOptions.ASN_TABLE, sampleAsnTable().toString());
        return conf;
    }

    /**
     * A configuration for a broker, with topics, consumer group and transactional ids named after
     * {@code name}, and checkpoints every half second. The sample archive is not in time order: a
     * bounded analysis of it has no watermark until its end (the default), so nothing is late.
     */
    public static Configuration kafka(KafkaBroker broker, String sinkUrl, String name) {
        Configuration conf = conf(sinkUrl);
        conf.set(KafkaOptions.BOOTSTRAP_SERVERS, broker.bootstrap());
        conf.set(KafkaOptions.REPLIES_TOPIC, name + ".replies");
        conf.set(KafkaOptions.DEAD_LETTERS_TOPIC, name + ".replay_dead_letters");
        conf.set(KafkaOptions.GROUP_ID, name);
        conf.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, name);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(500));
        return conf;
    }

    /**
     * Writes a synthetic archive of {@code hosts} hosts over August to October 2026 (see {@link
     * SyntheticScan}) and returns the number of replies in it.
     */
    public static long synthetic(Path file, long seed, int hosts) throws IOException {
        try (Writer w = Files.newBufferedWriter(file)) {
            return new SyntheticScan(
                            seed,
                            hosts,
                            List.of(
                                    YearMonth.of(2026, 8),
                                    YearMonth.of(2026, 9),
                                    YearMonth.of(2026, 10)))
                    .write(w);
        }
    }

    /** Replays files into the sink named by {@code conf} and returns the database. */
    public static CensusDatabase run(Configuration conf, List<String> files) throws Exception {
        CensusDatabase db = CensusDatabase.fromConfiguration(conf);
        new ReplayJob(ReplayJob.sourceFor(files, conf), List.of(new DatabaseOutput(db, conf)), conf)
                .run();
        return db;
    }

    /**
     * Cancels a job and waits until it has ended, so that its sinks have closed their files before
     * a test removes its directory (cancel() returns once the cancel is accepted).
     */
    public static void cancelAndWait(org.apache.flink.core.execution.JobClient job)
            throws Exception {
        job.cancel().get();
        try {
            // Completes (exceptionally, as cancelled) once the job has ended.
            job.getJobExecutionResult().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | IllegalStateException ended) {
            // Cancelled, or its per-job MiniCluster is already shut down: either way, ended.
        }
    }
}
