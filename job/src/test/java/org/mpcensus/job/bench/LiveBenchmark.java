package org.mpcensus.job.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.mpcensus.job.census.ProbeJob;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.SinkOptions;
import org.mpcensus.job.testbed.Behaviour;
import org.mpcensus.job.testbed.Testbed;
import org.mpcensus.job.testing.Trees;
import org.mpcensus.probe.source.plan.ProbeSourceOptions;

/**
 * The live path on the testbed (network namespaces, 198.18.0.0/20 only), into the default DuckDB
 * sink. Two measurements:
 *
 * <ol>
 *   <li>Reply capture at full rate: the prober sends as fast as it can to the testbed's answering
 *       ranges (real kernel MPTCPv1 hosts, plain TCP hosts and closed hosts: SYN-ACK on 80/443, RST
 *       on every other port; SYN-ACK retransmission is switched off in those namespaces, so each
 *       answered probe is one reply). Replies that arrived are counted on the prober's interface
 *       ({@code rx_packets}), replies captured in the census ({@code SUM(replies)} of {@code
 *       census_counts}); the ratio is the capture rate.
 *   <li>Latency: at a campaign's rate, a reader polls {@code census_hosts} every 20 ms and notes
 *       when each (host, port, version) row of a host that sent MP_CAPABLE first appears; latency =
 *       that time minus the row's {@code first_seen} (the capture timestamp). p50 and p99 over all
 *       rows.
 * </ol>
 *
 * Needs root; run by {@code job/bench/bench live}.
 */
public final class LiveBenchmark {
    /** Ranges whose every address answers every probe. */
    static final List<String> ANSWERING =
            List.of(
                    Behaviour.KERNEL_MPTCP_V1.cidr,
                    Behaviour.PLAIN_TCP.cidr,
                    Behaviour.CLOSED.cidr);

    static final int ADDRESSES = 3 * Behaviour.RANGE_SIZE;

    /**
     * A sparser hit rate, as on the Internet: the closed hosts (a RST for every probe) among the
     * 1,536 addresses of the send benchmark that are blackholed in the router: 7.7 % of the probes
     * are answered.
     */
    static final List<String> SPARSE =
            List.of(
                    Behaviour.CLOSED.cidr,
                    SendRateBenchmark.RANGES.get(0),
                    SendRateBenchmark.RANGES.get(1));

    static final int SPARSE_ADDRESSES = Behaviour.RANGE_SIZE + SendRateBenchmark.ADDRESSES;

    private LiveBenchmark() {}

    /**
     * Arguments: ports of the full-rate rounds (default 200: 153,600 probes to the answering
     * ranges, 332,800 to the sparse ones), rounds (default 3), probes/s of the latency run (default
     * 2,000), its seconds (default 15).
     */
    public static void main(String[] args) throws Exception {
        int ports = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        double rate = args.length > 2 ? Double.parseDouble(args[2]) : 2_000;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 15;
        Path dir = Files.createTempDirectory("mpcensus-live");
        try (Testbed testbed = Testbed.start()) {
            for (String ns : testbed.namespaces()) {
                // One reply per answered probe, so that replies arrived = replies expected.
                testbed.in(ns, "sysctl", "-qw", "net.ipv4.tcp_synack_retries=0");
            }
            for (String range : SPARSE.subList(1, SPARSE.size())) {
                testbed.in(testbed.routerNamespace(), "ip", "route", "add", "blackhole", range);
            }
            List<Double> dense = new ArrayList<>();
            List<Double> sparse = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                dense.add(
                        captureRound(
                                testbed, dir, "every probe answered", round, ANSWERING, ports));
                sparse.add(captureRound(testbed, dir, "7.7 % answered", round, SPARSE, ports / 2));
            }
            System.out.printf(
                    "capture at full rate: median %.4f %% (every probe answered), %.4f %% (7.7 %%"
                            + " answered) of arrived replies captured%n",
                    100 * BackfillBenchmark.median(dense), 100 * BackfillBenchmark.median(sparse));
            // The prober's own kernel answers each SYN-ACK with a RST (no socket has the
            // connection), which is why the router sees more packets than probes.
            latency(testbed, dir, rate, seconds);
        } finally {
            Trees.delete(dir);
        }
    }

    private static Configuration scan(
            Testbed testbed, Path dir, String name, List<String> targets, int ports)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(CoreOptions.DEFAULT_PARALLELISM, 1);
        conf.set(SinkOptions.URL, "duckdb:" + dir.resolve(name + ".duckdb"));
        conf.set(ProbeSourceOptions.INTERFACE, testbed.proberInterface());
        conf.set(ProbeSourceOptions.SOURCE_IPV4, Testbed.PROBER_IPV4);
        conf.set(ProbeSourceOptions.GATEWAY_MAC, testbed.routerMac());
        conf.set(ProbeSourceOptions.TARGETS, targets);
        List<Integer> list = new ArrayList<>(List.of(80, 443));
        for (int p = 1; list.size() < ports; p++) {
            list.add(1000 + p);
        }
        conf.set(ProbeSourceOptions.PORTS, list);
        conf.set(ProbeSourceOptions.VERSIONS, List.of(0, 1));
        conf.set(ProbeSourceOptions.COOLDOWN, Duration.ofSeconds(2));
        conf.set(
                ProbeSourceOptions.BLOCKLIST,
                List.of(Files.writeString(dir.resolve("none.txt"), "# testbed only\n").toString()));
        return conf;
    }

    /** One full-rate round; returns captured / arrived. */
    private static double captureRound(
            Testbed testbed, Path dir, String what, int round, List<String> targets, int ports)
            throws Exception {
        Configuration conf = scan(testbed, dir, "capture-" + System.nanoTime(), targets, ports);
        conf.set(ProbeSourceOptions.RATE, 10_000_000.0);
        long probes = (long) (targets == SPARSE ? SPARSE_ADDRESSES : ADDRESSES) * ports * 2;
        long rxBefore = proberRx(testbed);
        long sentBefore = rx(testbed);
        double rate =
                SendRateBenchmark.measure(
                        () -> rx(testbed), () -> ProbeJob.fromConfiguration(conf).run());
        long arrived = proberRx(testbed) - rxBefore;
        long delivered = rx(testbed) - sentBefore;
        long replies;
        long rows;
        CensusDatabase db = CensusDatabase.fromConfiguration(conf);
        try (Connection c = db.connect();
                Statement st = c.createStatement();
                ResultSet r =
                        st.executeQuery(
                                "SELECT SUM(replies), (SELECT COUNT(*) FROM census_hosts)"
                                        + " FROM census_counts")) {
            r.next();
            replies = r.getLong(1);
            rows = r.getLong(2);
        }
        double ratio = (double) replies / arrived;
        System.out.printf(
                "capture round %d (%s): %,d probes planned, %,d reached the router, %,d replies arrived"
                        + " at the prober, %,d captured (%,d host rows) = %.4f %%; sent at %,.0f"
                        + " probes/s%n",
                round, what, probes, delivered, arrived, replies, rows, 100 * ratio, rate);
        return ratio;
    }

    private static long proberRx(Testbed testbed) throws Exception {
        return Long.parseLong(
                Files.readString(
                                Path.of(
                                        "/sys/class/net",
                                        testbed.proberInterface(),
                                        "statistics",
                                        "rx_packets"))
                        .strip());
    }

    /** A scan at a campaign's rate while a reader polls the hosts table. */
    private static void latency(Testbed testbed, Path dir, double rate, int seconds)
            throws Exception {
        int ports = (int) Math.max(2, Math.ceil(rate * seconds / ADDRESSES / 2));
        Configuration conf = scan(testbed, dir, "latency", ANSWERING, ports);
        conf.set(ProbeSourceOptions.RATE, rate);
        CensusDatabase db = CensusDatabase.fromConfiguration(conf);
        Map<String, Long> seenAt = new HashMap<>();
        Map<String, Long> captured = new HashMap<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread job =
                new Thread(
                        () -> {
                            try {
                                ProbeJob.fromConfiguration(conf).run();
                            } catch (Throwable t) {
                                failed.set(t);
                            }
                        });
        job.start();
        Connection c = null;
        try {
            while (job.isAlive()) {
                Thread.sleep(20);
                if (c == null) {
                    try {
                        c = db.connect();
                        try (Statement st = c.createStatement()) {
                            st.execute("SELECT 1 FROM census_hosts LIMIT 0");
                        }
                    } catch (java.sql.SQLException notYet) {
                        if (c != null) {
                            c.close();
                        }
                        c = null;
                        continue;
                    }
                }
                long now = System.currentTimeMillis() * 1000;
                try (Statement st = c.createStatement();
                        ResultSet r =
                                st.executeQuery(
                                        "SELECT host, port, probed_version, epoch_us(first_seen)"
                                                + " FROM census_hosts")) {
                    while (r.next()) {
                        String key = r.getString(1) + "|" + r.getInt(2) + "|" + r.getInt(3);
                        if (seenAt.putIfAbsent(key, now) == null) {
                            captured.put(key, r.getLong(4));
                        }
                    }
                }
            }
        } finally {
            job.join();
            if (c != null) {
                c.close();
            }
        }
        if (failed.get() != null) {
            throw new IllegalStateException("the scan failed", failed.get());
        }
        List<Long> latencies = new ArrayList<>();
        for (Map.Entry<String, Long> e : seenAt.entrySet()) {
            latencies.add(e.getValue() - captured.get(e.getKey()));
        }
        latencies.sort(null);
        if (latencies.isEmpty()) {
            throw new IllegalStateException("no row appeared");
        }
        System.out.printf(
                "latency capture -> row in census_hosts at %,.0f probes/s (%d ports, %d s,"
                        + " polled every 20 ms): %,d rows, p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                rate,
                ports,
                seconds,
                latencies.size(),
                percentile(latencies, 0.50) / 1000.0,
                percentile(latencies, 0.99) / 1000.0,
                latencies.get(latencies.size() - 1) / 1000.0);
    }

    static long percentile(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    /** Frames the testbed's first router received from the prober. */
    static long rx(Testbed testbed) throws Exception {
        return Long.parseLong(
                testbed.in(
                                testbed.routerNamespace(),
                                "cat",
                                "/sys/class/net/"
                                        + testbed.routerUplink()
                                        + "/statistics/rx_packets")
                        .strip());
    }
}
