package org.mpcensus.job.bench;

import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.DatabaseOutput;
import org.mpcensus.job.sink.SinkOptions;
import org.mpcensus.job.testing.TraceWriter;
import org.mpcensus.job.traffic.TrafficJob;
import org.mpcensus.probe.archive.ArchiveFormat;
import org.mpcensus.probe.archive.ArchiveSource;
import org.mpcensus.probe.archive.CaptureReader;
import org.mpcensus.probe.archive.CapturedFrame;
import org.mpcensus.probe.packet.PacketDecoder;

/**
 * {@code job/bench/bench traffic [PACKETS [PARALLELISM [RUNS]]]}: packets per second of the traffic
 * job (flows in keyed state, shares, sizes, into DuckDB) over a synthetic trace of flows of 5 to 14
 * packets (1 % MPTCP), against a bare loop that reads and decodes the same file. Prints the medians
 * and their ratio (the target is at least 0.5).
 */
public final class TrafficBenchmark {
    public static void main(String[] args) throws Exception {
        long packets = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path dir = Files.createTempDirectory("mpcensus-traffic-bench");
        Path trace = dir.resolve("synthetic.pcap");
        long written = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(trace), 1 << 20)) {
            TraceWriter w = new TraceWriter(out);
            long t = 1_709_251_200_000_000L;
            int n = 0;
            while (written < packets) {
                int size = 5 + n % 10;
                w.flow(t, n, n % 100 == 0, size);
                written += size;
                n++;
                t += 200;
            }
        }
        System.out.printf("traffic: %,d packets, %,d bytes of trace%n", written, Files.size(trace));
        List<Double> bare = new ArrayList<>();
        List<Double> job = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            long decoded = 0;
            try (InputStream in = Files.newInputStream(trace);
                    CaptureReader reader = new CaptureReader(in)) {
                CapturedFrame f;
                while ((f = reader.next()) != null) {
                    if (PacketDecoder.decodeFrame(f.linkType(), f.data()).segment() != null) {
                        decoded++;
                    }
                }
            }
            double bareRate = decoded / ((System.nanoTime() - t0) / 1e9);
            bare.add(bareRate);
            Path db = dir.resolve("run" + r + ".duckdb");
            Configuration conf = new Configuration();
            conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
            conf.set(SinkOptions.URL, "duckdb:" + db);
            long t1 = System.nanoTime();
            new TrafficJob(
                            ArchiveSource.builder()
                                    .format(ArchiveFormat.TRAFFIC)
                                    .paths(trace.toString())
                                    .build(),
                            List.of(
                                    new DatabaseOutput(
                                            CensusDatabase.fromConfiguration(conf), conf)),
                            conf)
                    .run();
            double jobRate = written / ((System.nanoTime() - t1) / 1e9);
            job.add(jobRate);
            System.out.printf(
                    "traffic run %d: bare decode loop %,.0f packets/s, whole job %,.0f packets/s%n",
                    r, bareRate, jobRate);
        }
        double b = median(bare);
        double j = median(job);
        System.out.printf(
                "traffic: median bare %,.0f packets/s, job %,.0f packets/s (parallelism %d), ratio"
                        + " %.2f (target >= 0.5)%n",
                b, j, parallelism, j / b);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
