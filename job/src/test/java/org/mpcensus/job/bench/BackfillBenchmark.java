package org.mpcensus.job.bench;

import java.io.BufferedWriter;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.mpcensus.job.ReplayJob;
import org.mpcensus.job.SyntheticScan;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.CensusSinks;
import org.mpcensus.job.sink.SinkOptions;
import org.mpcensus.probe.archive.ArchiveSettings;
import org.mpcensus.probe.archive.ZmapCsvDecoder;
import org.mpcensus.probe.event.ArchiveRecord;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.classify.ReplyClassifier;
import org.mpcensus.udf.enrich.EnrichmentOptions;

/**
 * Backfill throughput: a generated ZMap-CSV archive with the Internet's mix (about 0.3 % of replies
 * with MP_CAPABLE, most of them mirrored; v0 and v1, IPv4 and IPv6, 32 ASes, 18 months) replayed
 * through the whole pipeline on the local MiniCluster into DuckDB, against a bare single-threaded
 * loop that only decodes and classifies the same file. Prints replies/s of both and their ratio;
 * run by {@code job/bench/bench backfill}.
 */
public final class BackfillBenchmark {
    private BackfillBenchmark() {}

    /** Arguments: rows (default 10,000,000), parallelism (default 2), runs (default 3). */
    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
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
        List<Double> pipeline = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            long t0 = System.nanoTime();
            long[] counts = bareLoop(csv);
            double s = (System.nanoTime() - t0) / 1e9;
            bare.add(counts[0] / s);
            System.out.printf(
                    "bare loop run %d: %,d replies (%,d MP_CAPABLE, %,d candidates) in %.2f s:"
                            + " %,.0f replies/s%n",
                    run, counts[0], counts[1], counts[2], s, counts[0] / s);

            Configuration conf = new Configuration();
            conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
            conf.set(SinkOptions.URL, "duckdb:" + dir.resolve("bench-" + run + ".duckdb"));
            conf.set(EnrichmentOptions.ASN_TABLE, asn.toString());
            CensusDatabase db = CensusDatabase.fromConfiguration(conf);
            t0 = System.nanoTime();
            new ReplayJob(
                            ReplayJob.sourceFor(List.of(csv.toString()), conf),
                            new CensusSinks(db, conf),
                            conf)
                    .run();
            s = (System.nanoTime() - t0) / 1e9;
            pipeline.add(written / s);
            System.out.printf(
                    "pipeline run %d (parallelism %d, DuckDB): %,d rows in %.2f s: %,.0f replies/s%n",
                    run, parallelism, written, s, written / s);
        }
        double b = median(bare);
        double p = median(pipeline);
        System.out.printf(
                "backfill: median pipeline %,.0f replies/s, bare loop %,.0f replies/s, ratio %.2f%n",
                p, b, p / b);
    }

    /** Decodes and classifies every row; returns replies, MP_CAPABLE replies, candidates. */
    static long[] bareLoop(Path csv) throws Exception {
        long replies = 0;
        long mpCapable = 0;
        long candidates = 0;
        try (InputStream in = Files.newInputStream(csv);
                ZmapCsvDecoder decoder =
                        new ZmapCsvDecoder(in, csv.toString(), ArchiveSettings.defaults())) {
            ArchiveRecord r;
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
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
