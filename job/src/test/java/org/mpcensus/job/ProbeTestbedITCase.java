package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
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
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.job.census.ProbeJob;
import org.mpcensus.job.runtime.CensusOptions;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.SinkOptions;
import org.mpcensus.job.testbed.Behaviour;
import org.mpcensus.job.testbed.Testbed;
import org.mpcensus.job.testing.Cli;
import org.mpcensus.job.testing.Launcher;
import org.mpcensus.job.testing.TableDump;
import org.mpcensus.job.testing.TestbedExtension;
import org.mpcensus.probe.archive.CaptureReader;
import org.mpcensus.probe.archive.CapturedFrame;
import org.mpcensus.probe.packet.PacketDecoder;
import org.mpcensus.probe.packet.TcpSegment;
import org.mpcensus.probe.source.plan.ProbeSourceOptions;
import org.mpcensus.udf.classify.Classification;

/**
 * Scans a network-namespace testbed of real kernel MPTCP peers, emulators and middleboxes through
 * the whole job into DuckDB and compares every host's classification with the testbed's ground
 * truth. Needs root (it builds namespaces and captures with raw sockets).
 */
@Tag("netns")
class ProbeTestbedITCase {
    static final double RATE = 1500;

    @RegisterExtension static final TestbedExtension TESTBED = new TestbedExtension();

    @TempDir static Path dir;

    static Testbed testbed() {
        return TESTBED.get();
    }

    static Configuration scan(Path blocklist, String duckdb) {
        Configuration conf = new Configuration();
        conf.set(CoreOptions.DEFAULT_PARALLELISM, 2);
        conf.set(SinkOptions.URL, "duckdb:" + duckdb);
        conf.set(ProbeSourceOptions.INTERFACE, testbed().proberInterface());
        conf.set(ProbeSourceOptions.SOURCE_IPV4, Testbed.PROBER_IPV4);
        conf.set(ProbeSourceOptions.GATEWAY_MAC, testbed().routerMac());
        List<String> targets = new ArrayList<>();
        for (Behaviour b : Behaviour.values()) {
            targets.add(b.cidr);
        }
        conf.set(ProbeSourceOptions.TARGETS, targets);
        conf.set(ProbeSourceOptions.PORTS, List.of(80, 443));
        conf.set(ProbeSourceOptions.VERSIONS, List.of(0, 1));
        conf.set(ProbeSourceOptions.RATE, RATE);
        conf.set(ProbeSourceOptions.SHARDS, 2);
        conf.set(ProbeSourceOptions.SEED, 7L);
        conf.set(ProbeSourceOptions.COOLDOWN, Duration.ofSeconds(2));
        conf.set(ProbeSourceOptions.BLOCKLIST, List.of(blocklist.toString()));
        conf.set(ProbeSourceOptions.SCAN_ID, "testbed");
        return conf;
    }

    @Test
    void everyHostIsClassifiedAsTheGroundTruthSaysAndNothingReachesTheBlocklist() throws Exception {
        Path blocklist =
                Files.writeString(dir.resolve("blocklist.txt"), Behaviour.BLOCKLISTED.cidr + "\n");
        Path capture = dir.resolve("router.pcap");
        testbed().startCapture(capture);
        Configuration conf = scan(blocklist, dir.resolve("census.duckdb").toString());
        Path hitlist = Files.write(dir.resolve("hitlist.txt"), Behaviour.ipv6Hitlist());
        conf.set(ProbeSourceOptions.HITLIST, hitlist.toString());
        conf.set(ProbeSourceOptions.SOURCE_IPV6, Testbed.PROBER_IPV6);
        ProbeJob.fromConfiguration(conf).run();
        CensusDatabase db = CensusDatabase.fromConfiguration(conf);
        testbed().stopCaptures();

        Map<String, Classification> want = expected(List.of(Behaviour.values()));
        for (String v6 : Behaviour.ipv6Hitlist()) {
            Behaviour b = Behaviour.of(v6);
            for (int port : new int[] {80, 443}) {
                for (int version = 0; version <= 1; version++) {
                    want.put(v6 + "|" + port + "|" + version, b.expected(version));
                }
            }
        }
        assertGroundTruth(db, want);

        // The router saw every probe but none to the blocklisted range, at the configured rate.
        List<Long> synTimes = new ArrayList<>();
        int toBlocked = 0;
        try (InputStream in = Files.newInputStream(capture);
                CaptureReader reader = new CaptureReader(in)) {
            CapturedFrame f;
            while ((f = reader.next()) != null) {
                TcpSegment seg = PacketDecoder.decodeFrame(f.linkType(), f.data()).segment();
                if (seg == null
                        || !seg.isSyn()
                        || !(seg.src().equals(Testbed.PROBER_IPV4)
                                || seg.src().equals(Testbed.PROBER_IPV6))) {
                    continue;
                }
                if (Behaviour.of(seg.dst()) == Behaviour.BLOCKLISTED) {
                    toBlocked++;
                }
                synTimes.add(f.timestampNanos());
            }
        }
        assertThat(toBlocked).isZero();
        int probes =
                ((Behaviour.values().length - 1) * Behaviour.RANGE_SIZE
                                + Behaviour.ipv6Hitlist().size())
                        * 4;
        assertThat(synTimes).hasSize(probes);
        synTimes.sort(null);
        // Steady-state rate: the middle 80 % of the scan, away from start-up and the last shard's
        // end.
        int from = synTimes.size() / 10;
        int to = synTimes.size() - synTimes.size() / 10;
        double seconds = (synTimes.get(to - 1) - synTimes.get(from)) / 1e9;
        double rate = (to - 1 - from) / seconds;
        System.out.printf(
                "testbed: %d hosts x ports x versions as the ground truth says, %d probes seen by the"
                        + " router, %d to the blocklisted range, %.1f probes/s at a limit of %.0f%n",
                want.size(), synTimes.size(), toBlocked, rate, RATE);
        assertThat(rate).isBetween(RATE * 0.95, RATE * 1.05);
    }

    @Test
    void aProbeKilledMidwayAndResumedInANewProcessAnswersEveryTargetAndReprobesWithinTheBound()
            throws Exception {
        double rate = 300;
        Duration interval = Duration.ofMillis(500);
        Path none = Files.writeString(dir.resolve("none.txt"), "# no blocked ranges\n");
        Path capture = dir.resolve("resume.pcap");
        Path checkpoints = dir.resolve("checkpoints");
        Path duckdb = dir.resolve("resume.duckdb");
        List<Behaviour> ranges =
                List.of(Behaviour.KERNEL_MPTCP_V1, Behaviour.PLAIN_TCP, Behaviour.CLOSED);
        // The live probing command of the testbed's guide, as a user runs it.
        List<String> probe = new ArrayList<>(List.of("./mpcensus"));
        probe.addAll(
                probeArgs(
                        ranges.stream().map(b -> b.cidr).toList(), rate, none, "duckdb:" + duckdb));
        probe.addAll(
                List.of(
                        "--checkpoint-interval",
                        "500ms",
                        "-D",
                        "mpcensus.probe.shards=4",
                        "-D",
                        "mpcensus.probe.scan-id=resume"));
        testbed().startCapture(capture);

        // First process: kill -9 mid-scan (after about 3 s of probing), just after a checkpoint
        // completed.
        Process first =
                Launcher.start(
                        Launcher.with(probe, "--checkpoints", checkpoints.toString()),
                        dir,
                        "first");
        int sixth = Launcher.awaitCheckpoint(first, checkpoints, 6);
        Launcher.awaitCheckpoint(first, checkpoints, sixth + 1);
        first.destroyForcibly();
        long killedAt = System.currentTimeMillis();
        assertThat(first.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).isEqualTo(137);

        // Second process: the same command resumes the scan from that checkpoint.
        Process second =
                Launcher.start(
                        Launcher.with(probe, "--resume", checkpoints.toString()), dir, "second");
        assertThat(second.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).as(Files.readString(dir.resolve("second.err"))).isZero();
        assertThat(Files.readString(dir.resolve("second.err"))).contains("resuming from ");
        testbed().stopCaptures();

        Configuration conf = new Configuration();
        conf.set(SinkOptions.URL, "duckdb:" + duckdb);
        assertGroundTruth(CensusDatabase.fromConfiguration(conf), expected(ranges));

        // Every probe was sent at least once; re-sent ones stay within rate x (interval + window).
        Map<String, Integer> sends = new HashMap<>();
        int sentBeforeKill = 0;
        try (InputStream in = Files.newInputStream(capture);
                CaptureReader reader = new CaptureReader(in)) {
            CapturedFrame f;
            while ((f = reader.next()) != null) {
                TcpSegment seg = PacketDecoder.decodeFrame(f.linkType(), f.data()).segment();
                if (seg != null && seg.isSyn() && seg.src().equals(Testbed.PROBER_IPV4)) {
                    if (f.timestampNanos() / 1_000_000 < killedAt) {
                        sentBeforeKill++;
                    }
                    sends.merge(
                            seg.dst() + "|" + seg.dport() + "|" + seg.mpCapable().version(),
                            1,
                            Integer::sum);
                }
            }
        }
        int probes = ranges.size() * Behaviour.RANGE_SIZE * 4;
        assertThat(sends).hasSize(probes);
        int resent = sends.values().stream().mapToInt(n -> n - 1).sum();
        long replyWindow = ProbeSourceOptions.REPLY_WINDOW.defaultValue().toMillis();
        // The bound, with half a second for noticing the checkpoint and killing the process.
        double bound = rate * (interval.toMillis() + replyWindow + 500) / 1000.0;
        System.out.printf(
                "resume: %d probes sent before kill -9, %d re-sent by the new process (bound %.0f)%n",
                sentBeforeKill, resent, bound);
        // A restart from scratch would re-send everything the first process sent.
        assertThat(sentBeforeKill).isGreaterThan((int) bound + 100);
        assertThat(resent).isLessThanOrEqualTo((int) bound);
    }

    /**
     * One census across probe runs: the testbed probed as two runs in one month (half of each range
     * each) and as three runs in three months (the months supplied by a time shift). Each census
     * equals the census of one run over the same replies (the runs' archives replayed together),
     * table by table, and the two runs of one month classify every host as the ground truth says,
     * as one probe of all targets does.
     */
    @Test
    void probesSplitOverRunsAndMonthsGiveTheCensusOfOneRun() throws Exception {
        Path none = Files.writeString(dir.resolve("none-split.txt"), "# no blocked ranges\n");
        List<Behaviour> ranges =
                List.of(
                        Behaviour.KERNEL_MPTCP_V1,
                        Behaviour.PLAIN_TCP,
                        Behaviour.EMULATED_MIRROR,
                        Behaviour.EMULATED_KEY_REWRITER);
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (Behaviour b : ranges) {
            String base = b.cidr.substring(0, b.cidr.indexOf('/'));
            first.add(base + "/26");
            second.add(base.substring(0, base.lastIndexOf('.') + 1) + "64/26");
            all.add(b.cidr);
        }

        // Two runs in one month into one census.
        String month = "duckdb:" + dir.resolve("split-month.duckdb");
        Path a = dir.resolve("first-half.jsonl");
        Path b = dir.resolve("second-half.jsonl");
        probe(month, first, none, a, Duration.ZERO);
        probe(month, second, none, b, Duration.ZERO);
        CensusDatabase split = CensusDatabase.of(month, null, null);
        assertGroundTruth(split, expected(ranges));
        String oneMonth = "duckdb:" + dir.resolve("one-run-month.duckdb");
        replayArchives(oneMonth, List.of(a, b));
        assertThat(TableDump.acrossRuns(split))
                .isEqualTo(TableDump.acrossRuns(CensusDatabase.of(oneMonth, null, null)));

        // Three runs in three months into one census.
        String months = "duckdb:" + dir.resolve("split-months.duckdb");
        List<Path> archives = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            Path archive = dir.resolve("month-" + m + ".jsonl");
            probe(months, all, none, archive, Duration.ofDays(31L * m));
            archives.add(archive);
        }
        String oneRun = "duckdb:" + dir.resolve("one-run-months.duckdb");
        replayArchives(oneRun, archives);
        CensusDatabase threeRuns = CensusDatabase.of(months, null, null);
        assertThat(TableDump.acrossRuns(threeRuns))
                .isEqualTo(TableDump.acrossRuns(CensusDatabase.of(oneRun, null, null)));
        assertThat(TableDump.rows(threeRuns, "SELECT DISTINCT month FROM census_hosts")).hasSize(3);
        // The kernel's hosts answered every month: with consecutive months, consistent in the
        // third.
        List<String> consistent =
                TableDump.rows(
                        threeRuns, "SELECT count(*) FROM census_consistency WHERE consistent");
        System.out.printf("three monthly probe runs: %s consistent host rows%n", consistent);
        java.time.YearMonth now = java.time.YearMonth.now(java.time.ZoneOffset.UTC);
        if (java.time.YearMonth.from(
                        java.time.Instant.now()
                                .plus(Duration.ofDays(62))
                                .atZone(java.time.ZoneOffset.UTC))
                .equals(now.plusMonths(2))) {
            // 128 kernel hosts, a candidate on two ports with v1 in each of the three months.
            assertThat(consistent).containsExactly("256");
        }
    }

    /** Probes targets as the command line does, into a census, archiving the replies. */
    private static void probe(
            String sink, List<String> targets, Path blocklist, Path archive, Duration shift) {
        List<String> line = probeArgs(targets, RATE, blocklist, sink);
        line.addAll(
                List.of(
                        "--archive",
                        archive.toString(),
                        "-D",
                        "mpcensus.probe.time-shift=" + shift.toMillis() + " ms",
                        "-D",
                        "mpcensus.probe.status=false"));
        Cli.Run run = Cli.run(line.toArray(new String[0]));
        assertThat(run.exit()).as(run.err()).isZero();
    }

    /** The live probing command (without the program), on the testbed. */
    private static List<String> probeArgs(
            List<String> targets, double rate, Path blocklist, String sink) {
        return new ArrayList<>(
                List.of(
                        "probe",
                        "--interface",
                        testbed().proberInterface(),
                        "--source-ip",
                        Testbed.PROBER_IPV4,
                        "--gateway-mac",
                        testbed().routerMac(),
                        "--targets",
                        String.join(",", targets),
                        "--rate",
                        String.valueOf(rate),
                        "--seed",
                        "7",
                        "--cooldown",
                        "2 s",
                        "--blocklist",
                        blocklist.toString(),
                        "--sink",
                        sink));
    }

    private static void replayArchives(String sink, List<Path> archives) {
        List<String> line = new ArrayList<>(List.of("replay", "--sink", sink, "--no-summary"));
        for (Path p : archives) {
            line.add("--input");
            line.add(p.toString());
        }
        Cli.Run run = Cli.run(line.toArray(new String[0]));
        assertThat(run.exit()).as(run.err()).isZero();
    }

    @Test
    void aScheduledScanRepeatsWithItsOwnIdAndSecretAndEndsAfterTheSetNumberOfScans()
            throws Exception {
        Path none = Files.writeString(dir.resolve("none-schedule.txt"), "");
        Path archive = dir.resolve("scheduled.jsonl");
        Configuration conf = scan(none, dir.resolve("scheduled.duckdb").toString());
        conf.set(ProbeSourceOptions.TARGETS, List.of(Behaviour.KERNEL_MPTCP_V1.cidr));
        conf.set(ProbeSourceOptions.RATE, 1000.0);
        conf.set(ProbeSourceOptions.COOLDOWN, Duration.ofSeconds(1));
        conf.set(ProbeSourceOptions.SCHEDULE, Duration.ofSeconds(3));
        conf.set(ProbeSourceOptions.SCANS, 2);
        conf.set(ProbeSourceOptions.SCAN_ID, "sched");
        // As on a cluster of vantage nodes: the interface and source address of this host's route.
        conf.set(ProbeSourceOptions.INTERFACE, "auto");
        conf.set(ProbeSourceOptions.SOURCE_IPV4, "auto");
        // The portable send path (the other tests use the default, sendmmsg batches).
        conf.set(ProbeSourceOptions.SENDER, "pcap");
        conf.set(CensusOptions.ARCHIVE, archive.toString());
        ProbeJob.fromConfiguration(conf).run();
        CensusDatabase db = CensusDatabase.fromConfiguration(conf);

        Map<String, List<Long>> times = new HashMap<>();
        for (String line : Files.readAllLines(archive)) {
            var r = org.mpcensus.probe.archive.ReplyArchiveJson.parse(line);
            times.computeIfAbsent(r.scanId(), k -> new ArrayList<>()).add(r.captureTimeMicros());
        }
        assertThat(times.keySet()).containsExactlyInAnyOrder("sched-0", "sched-1");
        int probes = Behaviour.RANGE_SIZE * 4;
        assertThat(times.get("sched-0")).hasSize(probes);
        assertThat(times.get("sched-1")).hasSize(probes);
        long firstStart =
                times.get("sched-0").stream().mapToLong(Long::longValue).min().orElseThrow();
        long secondStart =
                times.get("sched-1").stream().mapToLong(Long::longValue).min().orElseThrow();
        // The schedule runs from the enumerator's start, before the readers' first probe; sending
        // the first scan takes half a second, so a second scan that had not waited would start
        // well within 1.5 s.
        assertThat(secondStart - firstStart).isGreaterThanOrEqualTo(1_500_000L);
    }

    /**
     * The census holds the ground truth: each host that sent MP_CAPABLE in census_hosts with its
     * expected classification, and per port, probed version and IP version as many NOT_MPTCP hosts
     * in census_counts as the testbed has plain responders there.
     *
     * @param want host|port|version -> expected classification
     */
    static void assertGroundTruth(CensusDatabase db, Map<String, Classification> want)
            throws Exception {
        Map<String, Classification> mptcp = new HashMap<>(want);
        mptcp.values().removeIf(c -> c == null || c == Classification.NOT_MPTCP);
        assertThat(classifications(db)).isEqualTo(mptcp);
        Map<String, Long> plain = new HashMap<>();
        want.forEach(
                (k, c) -> {
                    if (c == Classification.NOT_MPTCP) {
                        String[] f = k.split("\\|");
                        String ip = f[0].contains(":") ? "6" : "4";
                        plain.merge(f[1] + "|" + f[2] + "|" + ip, 1L, Long::sum);
                    }
                });
        assertThat(plain).isNotEmpty();
        Map<String, Long> counted = new HashMap<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT port, probed_version, ip_version, SUM(hosts)"
                                        + " FROM census_counts WHERE classification = 'NOT_MPTCP'"
                                        + " GROUP BY 1, 2, 3 HAVING SUM(hosts) > 0")) {
            while (r.next()) {
                counted.put(r.getInt(1) + "|" + r.getInt(2) + "|" + r.getInt(3), r.getLong(4));
            }
        }
        assertThat(counted).isEqualTo(plain);
    }

    /** host|port|version -> classification, from the hosts table. */
    static Map<String, Classification> classifications(CensusDatabase db) throws Exception {
        Map<String, Classification> got = new HashMap<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT host, port, probed_version, classification FROM census_hosts")) {
            while (r.next()) {
                got.put(
                        r.getString(1) + "|" + r.getInt(2) + "|" + r.getInt(3),
                        Classification.valueOf(r.getString(4)));
            }
        }
        return got;
    }

    /** The ground truth of the IPv4 ranges of some behaviours (those that reply). */
    static Map<String, Classification> expected(List<Behaviour> behaviours) {
        Map<String, Classification> want = new HashMap<>();
        for (Behaviour b : behaviours) {
            String base = b.cidr.substring(0, b.cidr.lastIndexOf('.') + 1);
            for (int i = 0; i < Behaviour.RANGE_SIZE; i++) {
                for (int port : new int[] {80, 443}) {
                    for (int version = 0; version <= 1; version++) {
                        if (b.expected(version) != null) {
                            want.put(base + i + "|" + port + "|" + version, b.expected(version));
                        }
                    }
                }
            }
        }
        return want;
    }
}
