package org.mpcensus.job.bench;

import java.io.BufferedInputStream;
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
import org.mpcensus.probe.event.TrafficPacket;
import org.mpcensus.probe.packet.PacketDecoder;
import org.mpcensus.probe.packet.TcpSegment;

/**
 * {@code job/bench/bench traffic [PACKETS [PARALLELISM [RUNS [FILES]]]]}: packets per second of the
 * traffic job (packets folded into partial flows where they are read, flows merged in keyed state,
 * shares, sizes, into DuckDB) over a synthetic trace of flows of 5 to 14 packets (1 % MPTCP),
 * rotated into FILES files of consecutive time (default 4, as captures of a link come, a file per
 * interval), against a bare loop in one thread that reads and decodes the same files into the
 * packets the job folds. Prints the medians, the job against the bare loop, and against the bare
 * loop times the threads that can read at once (the smallest of parallelism, cores and files).
 */
public final class TrafficBenchmark {
    public static void main(String[] args) throws Exception {
        long packets = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int fileCount = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        Path dir = Files.createTempDirectory("mpcensus-traffic-bench");
        List<Path> files = new ArrayList<>();
        long written = 0;
        long t = 1_709_251_200_000_000L;
        int n = 0;
        for (int k = 0; k < fileCount; k++) {
            Path trace = dir.resolve(String.format("synthetic-%02d.pcap", k));
            files.add(trace);
            long upTo = packets * (k + 1) / fileCount;
            try (OutputStream out =
                    new BufferedOutputStream(Files.newOutputStream(trace), 1 << 20)) {
                TraceWriter w = new TraceWriter(out);
                while (written < upTo) {
                    int size = 5 + n % 10;
                    w.flow(t, n, n % 100 == 0, size);
                    written += size;
                    n++;
                    t += 200;
                }
            }
        }
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        System.out.printf(
                "traffic: %,d packets, %,d bytes of trace in %d files%n",
                written, bytes, fileCount);
        int threads =
                Math.min(
                        parallelism,
                        Math.min(fileCount, Runtime.getRuntime().availableProcessors()));
        List<Double> bare = new ArrayList<>();
        List<Double> job = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            long decoded = 0;
            for (Path trace : files) {
                String name = trace.getFileName().toString();
                try (InputStream in =
                                new BufferedInputStream(Files.newInputStream(trace), 1 << 16);
                        CaptureReader reader = new CaptureReader(in)) {
                    CapturedFrame f;
                    while ((f = reader.next()) != null) {
                        TcpSegment s =
                                PacketDecoder.decodeFrame(
                                                f.linkType(), f.data(), PacketDecoder.Depth.FLOW)
                                        .segment();
                        if (s != null
                                && TrafficPacket.of(
                                                        name,
                                                        f.timestampNanos() / 1000,
                                                        f.originalLength(),
                                                        s)
                                                .sport()
                                        >= 0) {
                            decoded++;
                        }
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
                                    .paths(
                                            files.stream()
                                                    .map(Path::toString)
                                                    .toArray(String[]::new))
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
                "traffic: median bare %,.0f packets/s (one thread), job %,.0f packets/s (parallelism"
                        + " %d), job / bare %.2f, job / (bare x %d) %.2f (target >= 0.8)%n",
                b, j, parallelism, j / b, threads, j / (b * threads));
        try (var all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
