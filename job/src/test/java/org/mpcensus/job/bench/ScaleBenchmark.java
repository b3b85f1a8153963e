package org.mpcensus.job.bench;

import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.mpcensus.job.census.ReplayJob;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.DatabaseOutput;
import org.mpcensus.job.sink.SinkOptions;
import org.mpcensus.probe.packet.Bytes;
import org.mpcensus.probe.packet.IpAddress;

/**
 * Memory at Internet scale: one scan month in which N distinct IPv4 addresses answer a probe of
 * port 443 with MPTCP v1 once each, 0.5 % of them (or a given number) with {@code MP_CAPABLE} (four
 * in five mirrored by middleboxes, the rest with their own random keys), replayed through the whole
 * census into DuckDB in this JVM (run it with {@code -Xmx2g}). Addresses come in blocks of 200 in
 * distinct /24s spread over the whole IPv4 space by a bijection, as responders cluster in real
 * networks; the archive is synthetic and never probed. For each N it prints the peak heap used, the
 * peak heap live after a collection, the DuckDB file's size and the counts the census found (which
 * must be N hosts). Arguments: the sizes, each N or N:M for M hosts with MP_CAPABLE instead of N /
 * 200 (default {@code 10000000,30000000,30000000:50000}: the last has 20 M more plain responders
 * than the first and as many MP_CAPABLE hosts) and the parallelism (default 2); run by {@code
 * job/bench/bench scale}.
 */
public final class ScaleBenchmark {
    private ScaleBenchmark() {}

    public static void main(String[] args) throws Exception {
        String[] sizes =
                (args.length > 0 ? args[0] : "10000000,30000000,30000000:50000").split(",");
        int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        List<String> lines = new ArrayList<>();
        for (String size : sizes) {
            String[] f = size.split(":");
            long n = Long.parseLong(f[0]);
            lines.add(run(n, f.length > 1 ? Long.parseLong(f[1]) : n / 200, parallelism));
        }
        System.out.println("scale (parallelism " + parallelism + ", one month, port 443, v1):");
        lines.forEach(System.out::println);
    }

    static String run(long responders, long withMpCapable, int parallelism) throws Exception {
        Path dir = Files.createTempDirectory("mpcensus-scale");
        try {
            Path csv = dir.resolve("month.csv");
            long mpCapable = write(csv, responders, withMpCapable);
            Configuration conf = new Configuration();
            conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
            Path duckdb = dir.resolve("census.duckdb");
            conf.set(SinkOptions.URL, "duckdb:" + duckdb);
            System.gc();
            Heap heap = new Heap();
            heap.start();
            long t0 = System.nanoTime();
            CensusDatabase db = CensusDatabase.fromConfiguration(conf);
            new ReplayJob(
                            ReplayJob.sourceFor(List.of(csv.toString()), conf),
                            List.of(new DatabaseOutput(db, conf)),
                            conf)
                    .run();
            double seconds = (System.nanoTime() - t0) / 1e9;
            heap.finish();
            long hosts;
            long hostRows;
            long plainRows;
            long plainBytes;
            try (Connection c = db.connect();
                    Statement s = c.createStatement();
                    ResultSet r =
                            s.executeQuery(
                                    "SELECT SUM(hosts), (SELECT COUNT(*) FROM census_hosts),"
                                            + " (SELECT COUNT(*) FROM census_plain),"
                                            + " (SELECT COALESCE(SUM(octet_length(addresses)), 0)"
                                            + " FROM census_plain)"
                                            + " FROM census_counts")) {
                r.next();
                hosts = r.getLong(1);
                hostRows = r.getLong(2);
                plainRows = r.getLong(3);
                plainBytes = r.getLong(4);
            }
            if (hosts != responders) {
                throw new IllegalStateException(
                        "the census counted " + hosts + " hosts of " + responders);
            }
            return String.format(
                    "  %,d responders (%,d with MP_CAPABLE, %.0f MB of CSV): %.1f s, %,.0f replies/s;"
                            + " peak heap used %,d MB, peak live after GC %,d MB; DuckDB file"
                            + " %,.1f MB; census_hosts %,d rows; hosts counted %,d; the memory's"
                            + " plain responders %,d rows, %.1f MB",
                    responders,
                    mpCapable,
                    Files.size(csv) / 1e6,
                    seconds,
                    responders / seconds,
                    heap.peakUsed.get() >> 20,
                    heap.peakLive.get() >> 20,
                    Files.size(duckdb) / 1e6,
                    hostRows,
                    hosts,
                    plainRows,
                    plainBytes / 1e6);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Writes the month: {@code responders} addresses, about {@code withMpCapable} of them with
     * MP_CAPABLE (four in five mirrored); returns how many replies carry it.
     */
    static long write(Path csv, long responders, long withMpCapable) throws Exception {
        return write(csv, 0, responders, withMpCapable);
    }

    /**
     * The same, for responders {@code first .. first + responders - 1} of the address sequence (so
     * two files of distinct ranges hold distinct addresses).
     */
    static long write(Path csv, long first, long responders, long withMpCapable) throws Exception {
        long perMillion = withMpCapable * 1_000_000L / responders;
        SplittableRandom random = new SplittableRandom(responders + first);
        long mp = 0;
        long start = 1_788_220_800L; // 2026-09-01
        try (BufferedWriter w =
                new BufferedWriter(
                        new java.io.OutputStreamWriter(
                                Files.newOutputStream(csv), StandardCharsets.UTF_8),
                        1 << 20)) {
            w.write("saddr,sport,timestamp_ts,optionshex,success,probed_version\n");
            for (long i = first; i < first + responders; i++) {
                long block = i / 200;
                long slash24 = (block * 0x9E3779B1L) & 0xFFFFFFL;
                int a = (int) ((slash24 << 8) | (i % 200 + 1));
                String options;
                int draw = random.nextInt(1_000_000);
                if (draw < perMillion * 4 / 5) {
                    options = "0x020405b41e040181"; // the probe's v1 option mirrored
                    mp++;
                } else if (draw < perMillion) {
                    options = "0x020405b41e0c0101" + Bytes.hex64(random.nextLong());
                    mp++;
                } else {
                    options = "0x020405b4";
                }
                w.write(
                        IpAddress.format(
                                new byte[] {
                                    (byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a
                                }));
                w.write(",443,");
                w.write(Long.toString(start + random.nextInt(20 * 86_400)));
                w.write(',');
                w.write(options);
                w.write(",1,1\n");
            }
        }
        return mp;
    }

    /** Samples the heap every 50 ms: the peak used, and the peak used right after a collection. */
    static final class Heap extends Thread {
        final AtomicLong peakUsed = new AtomicLong();
        final AtomicLong peakLive = new AtomicLong();
        final AtomicBoolean running = new AtomicBoolean(true);

        Heap() {
            setDaemon(true);
        }

        @Override
        public void run() {
            while (running.get()) {
                sample();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void sample() {
            long used = 0;
            long live = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() != MemoryType.HEAP) {
                    continue;
                }
                used += pool.getUsage().getUsed();
                if (pool.getCollectionUsage() != null) {
                    live += pool.getCollectionUsage().getUsed();
                }
            }
            peakUsed.accumulateAndGet(used, Math::max);
            peakLive.accumulateAndGet(live, Math::max);
        }

        void finish() throws InterruptedException {
            running.set(false);
            join();
            sample();
        }
    }
}
