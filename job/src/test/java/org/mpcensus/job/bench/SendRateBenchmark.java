package org.mpcensus.job.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.mpcensus.job.census.ProbeJob;
import org.mpcensus.job.sink.SinkOptions;
import org.mpcensus.job.testing.Trees;
import org.mpcensus.probe.source.plan.ProbeSourceOptions;

/**
 * Prober send rate against ZMap on the same veth: a bare path is built ({@link BarePath}: one veth
 * pair into a namespace of its own, 198.18.0.0/15 only, no router, no emulator), then mpcensus's
 * prober and Debian's {@code zmap} take turns (A B A B) sending as fast as they can for the same
 * number of probes to two ranges the far namespace blackholes, and the packets are counted where
 * they arrive, on the far end ({@code rx_packets}). ZMap cannot send MP_CAPABLE, so it sends its
 * plain 54-byte SYNs; mpcensus sends MSS + MP_CAPABLE. Needs root and zmap; run by {@code
 * job/bench/bench send}.
 */
public final class SendRateBenchmark {
    /**
     * The probed addresses: blackholed in the far namespace, so every probe ends there and nothing
     * answers (no target's work competes with the senders for the CPU).
     */
    static final List<String> RANGES = List.of("198.18.10.0/23", "198.18.12.0/22");

    static final int ADDRESSES = 512 + 1024;

    private SendRateBenchmark() {}

    /**
     * Arguments: rounds (default 2), sender threads (default 1), probes per round (default 1 M).
     */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        // ZMap sends at most 255 probes per address.
        long probes =
                Math.min(
                        255L * ADDRESSES,
                        args.length > 2 ? Long.parseLong(args[2]) : 255L * ADDRESSES);
        Path dir = Files.createTempDirectory("mpcensus-send");
        List<Double> ours = new ArrayList<>();
        List<Double> zmap = new ArrayList<>();
        try (BarePath path = BarePath.create()) {
            try {
                for (String range : RANGES) {
                    path.blackhole(range);
                }
                for (int round = 0; round < rounds; round++) {
                    double a = measure(path::received, () -> probe(path, dir, threads, probes));
                    ours.add(a);
                    double b = measure(path::received, () -> zmap(path, dir, threads, probes));
                    zmap.add(b);
                    System.out.printf(
                            "round %d: mpcensus %,.0f packets/s, zmap %,.0f packets/s%n",
                            round, a, b);
                }
            } finally {
                // The census files of the probe rounds and zmap's files: tens of MB per round.
                Trees.delete(dir);
            }
        }
        double a = BackfillBenchmark.median(ours);
        double b = BackfillBenchmark.median(zmap);
        System.out.printf(
                "send rate (%d sender thread(s), delivered to the far end): median mpcensus %,.0f"
                        + " packets/s, zmap %,.0f packets/s, ratio %.2f%n",
                threads, a, b, a / b);
    }

    interface Sender {
        void run() throws Exception;
    }

    /** A counter of the frames that arrived where they are counted. */
    interface Counter {
        long read() throws Exception;
    }

    /**
     * Runs a sender while sampling the far end's received-packet counter every 20 ms; the rate is
     * the packets received between the first and the last sample that saw more than 100 new packets
     * (the scan, not neighbour discovery), over that time.
     */
    static double measure(Counter received, Sender sender) throws Exception {
        List<long[]> samples = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread sampler =
                new Thread(
                        () -> {
                            while (!Thread.currentThread().isInterrupted()) {
                                try {
                                    samples.add(new long[] {System.nanoTime(), received.read()});
                                    Thread.sleep(20);
                                } catch (InterruptedException e) {
                                    return;
                                } catch (Exception e) {
                                    if (Thread.currentThread().isInterrupted()
                                            || e.getCause() instanceof InterruptedException) {
                                        return;
                                    }
                                    throw new IllegalStateException(e);
                                }
                            }
                        });
        sampler.start();
        try {
            sender.run();
        } finally {
            sampler.interrupt();
            sampler.join();
        }
        synchronized (samples) {
            int first = -1;
            int last = -1;
            for (int i = 1; i < samples.size(); i++) {
                // Stray packets (neighbour discovery) are not the scan.
                if (samples.get(i)[1] - samples.get(i - 1)[1] > 100) {
                    first = first < 0 ? i - 1 : first;
                    last = i;
                }
            }
            if (first < 0) {
                throw new IllegalStateException("no packet reached the router");
            }
            if (Boolean.getBoolean("mpcensus.bench.trace")) {
                for (int i = first; i <= last; i++) {
                    System.out.printf(
                            "  %6.3f s %,10d%n",
                            (samples.get(i)[0] - samples.get(first)[0]) / 1e9,
                            samples.get(i)[1] - samples.get(first)[1]);
                }
            }
            double seconds = (samples.get(last)[0] - samples.get(first)[0]) / 1e9;
            return (samples.get(last)[1] - samples.get(first)[1]) / seconds;
        }
    }

    static void probe(BarePath path, Path dir, int threads, long probes) throws Exception {
        Configuration conf = new Configuration();
        conf.set(CoreOptions.DEFAULT_PARALLELISM, threads);
        conf.set(SinkOptions.URL, "duckdb:" + dir.resolve("send-" + System.nanoTime() + ".duckdb"));
        conf.set(ProbeSourceOptions.INTERFACE, path.senderInterface());
        conf.set(ProbeSourceOptions.SOURCE_IPV4, BarePath.SENDER_IPV4);
        conf.set(ProbeSourceOptions.GATEWAY_MAC, path.farMac());
        conf.set(ProbeSourceOptions.TARGETS, RANGES);
        // Enough ports that the ranges hold the probes of a round.
        List<Integer> ports = new ArrayList<>();
        for (int p = 0; p < probes / ADDRESSES / 2 + 1; p++) {
            ports.add(1024 + p);
        }
        conf.set(ProbeSourceOptions.PORTS, ports);
        conf.set(ProbeSourceOptions.VERSIONS, List.of(0, 1));
        conf.set(ProbeSourceOptions.MAX_TARGETS, probes);
        conf.set(ProbeSourceOptions.RATE, 10_000_000.0);
        conf.set(ProbeSourceOptions.SHARDS, threads);
        conf.set(ProbeSourceOptions.COOLDOWN, Duration.ofSeconds(1));
        conf.set(
                ProbeSourceOptions.BLOCKLIST,
                List.of(Files.writeString(dir.resolve("none.txt"), "# testbed only\n").toString()));
        ProbeJob.fromConfiguration(conf).run();
    }

    static void zmap(BarePath path, Path dir, int threads, long probes) throws Exception {
        Path allow = Files.writeString(dir.resolve("allow.txt"), String.join("\n", RANGES) + "\n");
        Path none = Files.writeString(dir.resolve("zmap-none.txt"), "");
        int perTarget = (int) Math.min(255, (probes + ADDRESSES - 1) / ADDRESSES);
        Process p =
                new ProcessBuilder(
                                "zmap",
                                "-q",
                                "-i",
                                path.senderInterface(),
                                "-S",
                                BarePath.SENDER_IPV4,
                                "-G",
                                path.farMac(),
                                "-p",
                                "80",
                                "-r",
                                "0",
                                "-T",
                                String.valueOf(threads),
                                "-P",
                                String.valueOf(perTarget),
                                "-w",
                                allow.toString(),
                                "-b",
                                none.toString(),
                                "-c",
                                "1",
                                "-o",
                                "/dev/null")
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("zmap.log").toFile())
                        .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("zmap did not finish");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(
                    "zmap failed: " + Files.readString(dir.resolve("zmap.log")));
        }
    }
}
