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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.job.census.ProbeJob;
import org.mpcensus.job.path.PathTables;
import org.mpcensus.job.path.VerifyJob;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.DatabaseOutput;
import org.mpcensus.job.testbed.Behaviour;
import org.mpcensus.job.testbed.PathTruth;
import org.mpcensus.job.testbed.Testbed;
import org.mpcensus.job.testing.TestbedExtension;
import org.mpcensus.probe.archive.CaptureReader;
import org.mpcensus.probe.archive.CapturedFrame;
import org.mpcensus.probe.packet.IpAddress;
import org.mpcensus.probe.packet.PacketDecoder;
import org.mpcensus.probe.packet.TcpSegment;
import org.mpcensus.probe.path.PathOptions;
import org.mpcensus.probe.path.TargetAnswer;
import org.mpcensus.probe.source.plan.ProbeSourceOptions;
import org.mpcensus.probe.source.plan.ScanPlan;
import org.mpcensus.udf.enrich.EnrichmentOptions;

/**
 * Path verification on the testbed's multi-hop paths (a clean path of three routers, a router that
 * strips MP_CAPABLE, one that rewrites the v0 key, an RFC 792 router, a filter that answers
 * "administratively prohibited", a black hole, mirroring middleboxes), IPv4 and IPv6: every host's
 * category, modifying hop, hop address and modification must be the ground truth's ({@link
 * Behaviour#path}); nothing may reach the blocklisted range; path probes keep their rate. Needs
 * root.
 */
@Tag("netns")
class PathVerificationITCase {
    static final double RATE = 150;

    @RegisterExtension static final TestbedExtension TESTBED = new TestbedExtension();

    @TempDir static Path dir;

    static Testbed testbed() {
        return TESTBED.get();
    }

    static Configuration base(String duckdb, Path blocklist) {
        Configuration conf = TESTBED.vantage(TestbedExtension.job(duckdb, blocklist));
        conf.set(PathOptions.RATE, RATE);
        conf.set(PathOptions.MAX_TTL, 8);
        conf.set(PathOptions.SILENT_HOPS, 3);
        conf.set(PathOptions.HOP_TIMEOUT, Duration.ofMillis(400));
        return conf;
    }

    /** What {@code mpcensus verify} is given: listed hosts, port 80, both versions, in order. */
    static Configuration verifying(Path duckdb, Path blocklist, Path hosts) {
        Configuration conf = base(duckdb.toString(), blocklist);
        conf.set(ProbeSourceOptions.HITLIST, hosts.toString());
        conf.set(ProbeSourceOptions.SHUFFLE_HITLIST, false);
        conf.set(ProbeSourceOptions.PORTS, List.of(80));
        conf.set(ProbeSourceOptions.VERSIONS, List.of(0, 1));
        conf.set(ProbeSourceOptions.RATE, RATE);
        return conf;
    }

    /** A few hosts of every behaviour that has hosts, IPv4 and IPv6, and one blocklisted. */
    static List<String> hosts() {
        List<String> out = new ArrayList<>();
        for (Behaviour b : Behaviour.values()) {
            String base = b.cidr.substring(0, b.cidr.lastIndexOf('.') + 1);
            int n = b == Behaviour.BLOCKLISTED ? 1 : 2;
            for (int i = 1; i <= n; i++) {
                out.add(base + i);
            }
            if (b.v6Prefix != null) {
                out.add(b.v6Prefix + "1");
            }
        }
        return out;
    }

    record Row(
            String host,
            int port,
            int version,
            String category,
            int hop,
            String hopAddress,
            String modification,
            String answer,
            String quoteLengths) {}

    static List<Row> paths(CensusDatabase db) throws Exception {
        List<Row> out = new ArrayList<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT host, port, probed_version, category, modifying_hop,"
                                        + " hop_address, modification, answer, quote_lengths FROM "
                                        + PathTables.PATHS.name())) {
            while (r.next()) {
                out.add(
                        new Row(
                                r.getString(1),
                                r.getInt(2),
                                r.getInt(3),
                                r.getString(4),
                                r.getInt(5),
                                r.getString(6),
                                r.getString(7),
                                r.getString(8),
                                r.getString(9)));
            }
        }
        return out;
    }

    /** Checks a row against the ground truth; returns what differs, or null. */
    static String mismatch(Row r) {
        Behaviour b = Behaviour.of(r.host());
        PathTruth t = b.path(r.version());
        String want =
                t.category()
                        + " hop "
                        + t.hop()
                        + " "
                        + (t.hop() == 0
                                ? "-"
                                : testbed().hopAddress(b, r.host().contains(":") ? 6 : 4, r.host()))
                        + " "
                        + t.modification()
                        + (t.answer() == null ? "" : " " + t.answer().label());
        String got =
                r.category()
                        + " hop "
                        + r.hop()
                        + " "
                        + (r.hop() == 0 ? "-" : r.hopAddress())
                        + " "
                        + r.modification()
                        + (t.answer() == null ? "" : " " + r.answer());
        return want.equals(got)
                ? null
                : b
                        + " "
                        + r.host()
                        + ":"
                        + r.port()
                        + " v"
                        + r.version()
                        + ": want "
                        + want
                        + ", got "
                        + got
                        + " (quotes "
                        + r.quoteLengths()
                        + ")";
    }

    /** SYNs from the prober that the first router saw, with their capture times. */
    record Syn(TcpSegment segment, long nanos) {}

    static List<Syn> syns(Path capture) throws Exception {
        List<Syn> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(capture);
                CaptureReader reader = new CaptureReader(in)) {
            CapturedFrame f;
            while ((f = reader.next()) != null) {
                TcpSegment s = PacketDecoder.decodeFrame(f.linkType(), f.data()).segment();
                if (s != null
                        && s.isSyn()
                        && (s.src().equals(Testbed.PROBER_IPV4)
                                || s.src().equals(Testbed.PROBER_IPV6))) {
                    out.add(new Syn(s, f.timestampNanos()));
                }
            }
        }
        return out;
    }

    @Test
    void everyListedHostGetsTheGroundTruthsVerdictAndNothingReachesTheBlocklist() throws Exception {
        Path blocklist =
                Files.writeString(dir.resolve("blocklist.txt"), Behaviour.BLOCKLISTED.cidr + "\n");
        Path targets = Files.write(dir.resolve("targets.txt"), hosts());
        Configuration conf = verifying(dir.resolve("verify.duckdb"), blocklist, targets);
        Path capture = dir.resolve("verify.pcap");
        testbed().startCapture(capture);
        ScanPlan plan = ScanPlan.fromConfiguration(conf);
        CensusDatabase db = CensusDatabase.fromConfiguration(conf);
        new VerifyJob(plan, List.of(new DatabaseOutput(db, conf)), conf).run();
        testbed().stopCaptures();

        List<Row> rows = paths(db);
        List<String> wrong = new ArrayList<>();
        Set<String> verified = new HashSet<>();
        for (Row r : rows) {
            verified.add(r.host() + "|" + r.version());
            if (Behaviour.of(r.host()) == Behaviour.BLOCKLISTED) {
                assertThat(r.answer()).isEqualTo(TargetAnswer.BLOCKED.label());
                continue;
            }
            String m = mismatch(r);
            if (m != null) {
                wrong.add(m);
            }
        }
        rows.forEach(System.out::println);
        assertThat(wrong).isEmpty();
        Set<String> listed = new HashSet<>();
        for (String h : hosts()) {
            listed.add(IpAddress.format(IpAddress.parse(h)) + "|0");
            listed.add(IpAddress.format(IpAddress.parse(h)) + "|1");
        }
        assertThat(verified).isEqualTo(listed);

        List<Syn> syns = syns(capture);
        assertThat(syns).noneMatch(s -> Behaviour.of(s.segment().dst()) == Behaviour.BLOCKLISTED);
        assertThat(syns).isNotEmpty();
        // Path probes at the router never above the job's rate: each of the two subtasks sends
        // its first probe at once, then one per 2 / rate seconds.
        long first = syns.get(0).nanos();
        double seconds = (syns.get(syns.size() - 1).nanos() - first) / 1e9;
        System.out.printf(
                "paths: %d hosts x versions verified, %d path probes in %.1f s (%.0f/s at a limit"
                        + " of %.0f/s)%n",
                rows.size(), syns.size(), seconds, syns.size() / seconds, RATE);
        assertThat(syns.size()).isLessThanOrEqualTo((int) (RATE * seconds) + 2);
    }

    @Test
    void aScanWithPathVerificationVerifiesEveryHostItFindsOnceAsTheGroundTruthSays()
            throws Exception {
        Path blocklist =
                Files.writeString(
                        dir.resolve("blocklist-scan.txt"), Behaviour.BLOCKLISTED.cidr + "\n");
        Configuration conf = base(dir.resolve("scan.duckdb").toString(), blocklist);
        List<String> targets = new ArrayList<>();
        List<String> v6 = new ArrayList<>();
        for (Behaviour b : Behaviour.values()) {
            targets.add(b.cidr.substring(0, b.cidr.lastIndexOf('.') + 1) + "0/30");
            if (b.v6Prefix != null) {
                v6.add(b.v6Prefix + "1");
            }
        }
        conf.set(ProbeSourceOptions.TARGETS, targets);
        conf.set(ProbeSourceOptions.HITLIST, Files.write(dir.resolve("v6.txt"), v6).toString());
        conf.set(ProbeSourceOptions.PORTS, List.of(80, 443));
        conf.set(ProbeSourceOptions.VERSIONS, List.of(0, 1));
        conf.set(ProbeSourceOptions.RATE, 500.0);
        conf.set(ProbeSourceOptions.COOLDOWN, Duration.ofSeconds(2));
        conf.set(ProbeSourceOptions.SCAN_ID, "paths");
        // One AS for the testbed, so that the counts show whose AS a path counts under.
        conf.set(
                EnrichmentOptions.ASN_TABLE,
                Files.writeString(
                                dir.resolve("testbed-asn.dat"),
                                "198.18.0.0/15\t" + AS + "\n2001:db8::/32\t" + AS + "\n")
                        .toString());
        conf.set(PathOptions.ENABLED, true);
        conf.set(
                PathOptions.CLASSES,
                List.of("CANDIDATE", "MIRRORED", "NOT_MPTCP", "WRONG_VERSION", "SUSPECT_KEY"));
        ProbeJob.fromConfiguration(conf).run();
        CensusDatabase db = CensusDatabase.fromConfiguration(conf);

        List<Row> rows = paths(db);
        List<String> wrong = new ArrayList<>();
        Map<String, Integer> times = new HashMap<>();
        for (Row r : rows) {
            times.merge(r.host() + "|" + r.port() + "|" + r.version(), 1, Integer::sum);
            String m = mismatch(r);
            if (m != null) {
                wrong.add(m);
            }
        }
        assertThat(wrong).isEmpty();
        // Every host that answers is verified, once per port and version.
        Set<String> answering = new HashSet<>();
        for (String t : targets) {
            String base = t.substring(0, t.lastIndexOf('.') + 1);
            for (int i = 0; i < 4; i++) {
                answering.add(base + i);
            }
        }
        answering.addAll(v6);
        Set<String> want = new HashSet<>();
        for (String h : answering) {
            Behaviour b = Behaviour.of(h);
            for (int port : new int[] {80, 443}) {
                for (int version = 0; version <= 1; version++) {
                    if (b.expected(version) != null) {
                        want.add(IpAddress.format(IpAddress.parse(h)) + "|" + port + "|" + version);
                    }
                }
            }
        }
        assertThat(times.keySet()).isEqualTo(want);
        assertThat(times.values()).allMatch(n -> n == 1);
        // The counts are the rows, per category, under the scan's AS; a key-rewriting middlebox
        // leaves the path clean, but the census found its key: not truly capable.
        Map<String, Long> fromRows = new HashMap<>();
        for (Row x : rows) {
            boolean rewriter = Behaviour.of(x.host()) == Behaviour.EMULATED_KEY_REWRITER;
            String category =
                    rewriter && x.category().equals("TRULY_CAPABLE")
                            ? "MIDDLEBOX_AFFECTED"
                            : x.category();
            fromRows.merge(AS + " " + category, 1L, Long::sum);
        }
        assertThat(rows)
                .anyMatch(
                        x ->
                                Behaviour.of(x.host()) == Behaviour.EMULATED_KEY_REWRITER
                                        && x.category().equals("TRULY_CAPABLE"));
        Map<String, Long> counts = pathCounts(db);
        assertThat(counts).isEqualTo(fromRows);
        assertThat(counts)
                .containsKeys(AS + " TRULY_CAPABLE", AS + " MIDDLEBOX_AFFECTED", AS + " NOT_MPTCP");
        List<String> trulyCapable = trulyCapable(db);
        assertThat(trulyCapable)
                .isNotEmpty()
                .allMatch(
                        h -> {
                            Behaviour b = Behaviour.of(h);
                            return b == Behaviour.KERNEL_MPTCP_V1
                                    || b == Behaviour.CLEAN_PATH
                                    || b == Behaviour.EMULATED_V0;
                        });

        // mpcensus verify after the scan, over some of the hosts it verified: their verdicts are
        // the newest, the scan's counts stay whole and under the scan's AS.
        Path again =
                Files.write(
                        dir.resolve("again.txt"),
                        List.of("198.18.1.1", "198.18.1.2", "198.18.7.1", "198.18.7.2"));
        Configuration verify = verifying(dir.resolve("scan.duckdb"), blocklist, again);
        verify.set(EnrichmentOptions.ASN_TABLE, conf.get(EnrichmentOptions.ASN_TABLE));
        new VerifyJob(
                        ScanPlan.fromConfiguration(verify),
                        List.of(new DatabaseOutput(db, verify)),
                        verify)
                .run();
        List<Row> after = paths(db);
        assertThat(after).hasSameSizeAs(rows);
        assertThat(after.stream().filter(r -> r.host().startsWith("198.18.7.")).toList())
                .isNotEmpty();
        assertThat(pathCounts(db)).isEqualTo(counts);
        assertThat(trulyCapable(db)).containsExactlyInAnyOrderElementsOf(trulyCapable);
    }

    /** The AS of the testbed's hosts in the scan. */
    static final long AS = 64512;

    /** census_path_counts as "AS CATEGORY" to hosts. */
    static Map<String, Long> pathCounts(CensusDatabase db) throws Exception {
        Map<String, Long> counts = new HashMap<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT asn, category, SUM(hosts) FROM "
                                        + PathTables.PATH_COUNTS.name()
                                        + " GROUP BY asn, category")) {
            while (r.next()) {
                counts.put(r.getLong(1) + " " + r.getString(2), r.getLong(3));
            }
        }
        return counts;
    }

    /** The hosts of census_truly_capable, one entry per (host, port, version). */
    static List<String> trulyCapable(CensusDatabase db) throws Exception {
        List<String> hosts = new ArrayList<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery("SELECT host FROM " + PathTables.TRULY_CAPABLE.name())) {
            while (r.next()) {
                hosts.add(r.getString(1));
            }
        }
        return hosts;
    }
}
