package org.mpcensus.job.bench;

import java.io.BufferedWriter;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;
import org.mpcensus.job.census.CensusPipeline;
import org.mpcensus.job.census.ReplayJob;
import org.mpcensus.job.census.SyntheticScan;
import org.mpcensus.job.output.CensusStreams;
import org.mpcensus.job.runtime.JobEnvironment;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.DatabaseOutput;
import org.mpcensus.job.sink.SinkOptions;
import org.mpcensus.probe.archive.ArchiveSettings;
import org.mpcensus.probe.archive.ZmapCsvDecoder;
import org.mpcensus.probe.event.CaptureTime;
import org.mpcensus.probe.event.CensusInput;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.classify.ReplyClassifier;
import org.mpcensus.udf.enrich.EnrichmentOptions;

/**
 * Backfill throughput: a generated ZMap-CSV archive with the Internet's mix (about 0.3 % of replies
 * with MP_CAPABLE, most of them mirrored; v0 and v1, IPv4 and IPv6, 32 ASes, 18 months) replayed
 * through the whole pipeline on the local MiniCluster into DuckDB, against a bare single-threaded
 * loop that only decodes and classifies the same file. Two more variants show where the time goes:
 * the census with its rows discarded instead of written, and a "keyed floor" (the same source into
 * one keyed counter per host-month, the least an exact per-host census does on Flink). Prints
 * replies/s of each and the ratios to the bare loop; run by {@code job/bench/bench backfill}.
 */
public final class BackfillBenchmark {
    private static java.util.Set<String> variants;

    private BackfillBenchmark() {}

    /**
     * Arguments: rows (default 10,000,000), parallelism (default 2), runs (default 3), variants
     * (default {@code bare,floor,discarded,duckdb}).
     */
    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        variants =
                java.util.Set.of(
                        (args.length > 3 ? args[3] : "bare,floor,discarded,duckdb").split(","));
        Path dir = Files.createTempDirectory("mpcensus-bench");
        try {
            run(dir, rows, parallelism, runs);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(Path dir, long rows, int parallelism, int runs) throws Exception {
        List<YearMonth> months = new ArrayList<>();
        for (int m = 0; m < 18; m++) {
            months.add(YearMonth.of(2025, 1).plusMonths(m));
        }
        // Rows per host: 18 months x 2 ports x 2 versions, a tenth of the months missed.
        int hosts = (int) Math.max(1, rows / (18 * 4 * 0.9));
        Path csv = dir.resolve("archive.csv");
        Path asn = Files.writeString(dir.resolve("asn.dat"), SyntheticScan.asnTable());
        long written;
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            written = new SyntheticScan(7, hosts, months, SyntheticScan.Mix.INTERNET).write(w);
        }
        System.out.printf(
                "archive: %,d rows, %,d hosts, %.0f MB%n", written, hosts, Files.size(csv) / 1e6);

        List<Double> bare = new ArrayList<>();
        List<Double> floor = new ArrayList<>();
        List<Double> discarded = new ArrayList<>();
        List<Double> pipeline = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            if (variants.contains("bare")) {
                long t0 = System.nanoTime();
                long[] counts = bareLoop(csv);
                double s = (System.nanoTime() - t0) / 1e9;
                bare.add(counts[0] / s);
                System.out.printf(
                        "bare loop run %d: %,d replies (%,d MP_CAPABLE, %,d candidates) in %.2f s:"
                                + " %,.0f replies/s%n",
                        run, counts[0], counts[1], counts[2], s, counts[0] / s);
            }

            Configuration conf = new Configuration();
            conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
            conf.set(SinkOptions.URL, "duckdb:" + dir.resolve("bench-" + run + ".duckdb"));
            conf.set(EnrichmentOptions.ASN_TABLE, asn.toString());
            // Any option can be tried as a system property: -Dmpcensus.sink.batch-size=20000.
            System.getProperties().stringPropertyNames().stream()
                    .filter(
                            k ->
                                    k.startsWith("mpcensus.")
                                            || k.startsWith("pipeline.")
                                            || k.startsWith("state."))
                    .forEach(k -> conf.setString(k, System.getProperty(k)));

            floor.add(
                    timed(
                            "floor",
                            "keyed floor",
                            run,
                            written,
                            () -> {
                                StreamExecutionEnvironment env = JobEnvironment.of(conf);
                                keyedFloor(env, ReplayJob.sourceFor(List.of(csv.toString()), conf));
                                env.execute("keyed floor");
                            }));
            discarded.add(
                    timed(
                            "discarded",
                            "census, rows discarded",
                            run,
                            written,
                            () -> {
                                StreamExecutionEnvironment env = JobEnvironment.of(conf);
                                discard(
                                        CensusPipeline.build(
                                                env.fromSource(
                                                        ReplayJob.sourceFor(
                                                                List.of(csv.toString()), conf),
                                                        WatermarkStrategy.noWatermarks(),
                                                        "archive"),
                                                conf,
                                                false));
                                env.execute("census, rows discarded");
                            }));
            CensusDatabase db = CensusDatabase.fromConfiguration(conf);
            pipeline.add(
                    timed(
                            "duckdb",
                            "census into DuckDB",
                            run,
                            written,
                            () ->
                                    new ReplayJob(
                                                    ReplayJob.sourceFor(
                                                            List.of(csv.toString()), conf),
                                                    List.of(new DatabaseOutput(db, conf)),
                                                    conf)
                                            .run()));
            if (run == runs - 1 && variants.contains("duckdb")) {
                memory(dir.resolve("bench-" + run + ".duckdb"));
            }
        }
        bare.removeIf(x -> x.isNaN());
        floor.removeIf(x -> x.isNaN());
        discarded.removeIf(x -> x.isNaN());
        pipeline.removeIf(x -> x.isNaN());
        double b = median(bare);
        System.out.printf(
                "backfill (parallelism %d): bare loop %,.0f replies/s; medians and ratios to it:"
                        + " keyed floor %,.0f (%.2f), census rows discarded %,.0f (%.2f),"
                        + " census into DuckDB %,.0f replies/s (%.3f)%n",
                parallelism,
                b,
                median(floor),
                median(floor) / b,
                median(discarded),
                median(discarded) / b,
                median(pipeline),
                median(pipeline) / b);
    }

    /** What the census keeps between runs in the database the last run wrote. */
    private static void memory(Path file) throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + file);
                var s = c.createStatement();
                var r =
                        s.executeQuery(
                                "SELECT (SELECT count(*) FROM census_replies),"
                                        + " count(*), coalesce(sum(hosts), 0),"
                                        + " coalesce(sum(octet_length(addresses)), 0)"
                                        + " FROM census_plain")) {
            r.next();
            System.out.printf(
                    "memory: %,d MPTCP-path replies; %,d plain keys of %,d responders in %.1f MB"
                            + " (%.2f bytes each); DuckDB file %.1f MB%n",
                    r.getLong(1),
                    r.getLong(2),
                    r.getLong(3),
                    r.getLong(4) / 1e6,
                    r.getLong(4) / (double) Math.max(1, r.getLong(3)),
                    Files.size(file) / 1e6);
        }
    }

    interface Job {
        void run() throws Exception;
    }

    /** Runs a variant if it was asked for; returns replies/s, or NaN. */
    private static double timed(String variant, String what, int run, long rows, Job job)
            throws Exception {
        if (!variants.contains(variant)) {
            return Double.NaN;
        }
        long t0 = System.nanoTime();
        job.run();
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                "%s run %d: %,d rows in %.2f s: %,.0f replies/s%n", what, run, rows, s, rows / s);
        return rows / s;
    }

    /**
     * The least any exact per-host census costs on Flink: the same source, then every reply keyed
     * by its host-month (month, address, port, probed version) into one heap {@code ValueState}
     * that counts it; the first reply of a host emits a count, which is discarded.
     */
    static void keyedFloor(StreamExecutionEnvironment env, FileSource<CensusInput> source) {
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "archive")
                .filter(r -> r.reply() != null)
                .keyBy(
                        r ->
                                CaptureTime.month(r.reply().captureTimeMicros())
                                        + "|"
                                        + r.reply().probe().target()
                                        + "|"
                                        + r.reply().probe().port()
                                        + "|"
                                        + r.reply().probe().mptcpVersion())
                .process(
                        new KeyedProcessFunction<String, CensusInput, Long>() {
                            private transient ValueState<Long> replies;

                            @Override
                            public void open(OpenContext ctx) {
                                replies =
                                        getRuntimeContext()
                                                .getState(
                                                        new ValueStateDescriptor<>(
                                                                "replies", Types.LONG));
                            }

                            @Override
                            public void processElement(
                                    CensusInput r, Context ctx, Collector<Long> out)
                                    throws Exception {
                                Long n = replies.value();
                                replies.update(n == null ? 1 : n + 1);
                                if (n == null) {
                                    out.collect(1L);
                                }
                            }
                        })
                .returns(Types.LONG)
                .sinkTo(new DiscardingSink<>());
    }

    /** Every stream of the census into a discarding sink. */
    static void discard(CensusStreams census) {
        census.replies().sinkTo(new DiscardingSink<>());
        census.hosts().sinkTo(new DiscardingSink<>());
        census.counts().sinkTo(new DiscardingSink<>());
        census.consistency().sinkTo(new DiscardingSink<>());
        census.keyTests().sinkTo(new DiscardingSink<>());
        census.overlap().sinkTo(new DiscardingSink<>());
        census.deadLetters().sinkTo(new DiscardingSink<>());
    }

    /** Decodes and classifies every row; returns replies, MP_CAPABLE replies, candidates. */
    static long[] bareLoop(Path csv) throws Exception {
        long replies = 0;
        long mpCapable = 0;
        long candidates = 0;
        try (InputStream in = Files.newInputStream(csv);
                ZmapCsvDecoder decoder =
                        new ZmapCsvDecoder(in, csv.toString(), ArchiveSettings.defaults())) {
            CensusInput r;
            while ((r = decoder.next()) != null) {
                if (r.reply() == null) {
                    continue;
                }
                replies++;
                Classification c = ReplyClassifier.classify(r.reply());
                if (c != Classification.NOT_MPTCP) {
                    mpCapable++;
                    ReplyClassifier.keyWeight(r.reply());
                }
                if (c == Classification.CANDIDATE) {
                    candidates++;
                }
            }
        }
        return new long[] {replies, mpCapable, candidates};
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
