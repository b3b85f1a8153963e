package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.mpcensus.job.http.HttpTables;
import org.mpcensus.job.http.HttpTimingJob;
import org.mpcensus.job.path.PathTables;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.DatabaseOutput;
import org.mpcensus.job.testbed.Behaviour;
import org.mpcensus.job.testbed.Testbed;
import org.mpcensus.job.testing.Launcher;
import org.mpcensus.job.testing.TestbedExtension;
import org.mpcensus.probe.http.HttpOptions;
import org.mpcensus.probe.http.HttpTiming;
import org.mpcensus.probe.http.Transport;
import org.mpcensus.probe.packet.IpAddress;
import org.mpcensus.probe.path.PathOptions;
import org.mpcensus.probe.source.plan.ProbeSourceOptions;
import org.mpcensus.probe.source.plan.ScanPlan;
import org.mpcensus.udf.scope.HostOfInterest;

/**
 * HTTP(S) timing over kernel MPTCP and TCP sockets to the testbed's HTTP and HTTPS servers (real
 * kernel MPTCP and TCP servers, a self-signed certificate on 443): every target gets its paired
 * runs; MPTCP is used end to end exactly where the ground truth says ({@link Behaviour#httpMptcp})
 * and reported as fallback where the path strips or mirrors the option or the server speaks only
 * TCP; on the clean path, whose emulated link delays MPTCP segments by {@link
 * Testbed#CLEAN_PATH_MPTCP_DELAY_MS}, the median connect delta is that delay; through the link that
 * loses each connection's first data segment, the request costs a retransmission timeout; nothing
 * reaches the blocklisted range. Needs root.
 */
@Tag("netns")
class HttpTimingITCase {
    static final int RUNS = 3;

    /** How far a median connect time may be from what the emulated delays make it. */
    static final double TOLERANCE_MS = 15;

    @RegisterExtension static final TestbedExtension TESTBED = new TestbedExtension();

    @TempDir static Path dir;

    static Testbed testbed() {
        return TESTBED.get();
    }

    static Configuration base(String duckdb, Path blocklist) {
        Configuration conf = TestbedExtension.job(duckdb, blocklist);
        conf.set(HttpOptions.RUNS, RUNS);
        conf.set(HttpOptions.TIMEOUT, Duration.ofSeconds(2));
        conf.set(HttpOptions.RATE, 200.0);
        // Two runs at a time per subtask: the machine's two cores also run the servers, the
        // emulated link and the job, and a busy core would show in the times.
        conf.set(HttpOptions.CONCURRENCY, 2);
        return conf;
    }

    /** One host of every behaviour, IPv4 and IPv6. */
    static List<String> hosts() {
        List<String> out = new ArrayList<>();
        for (Behaviour b : Behaviour.values()) {
            out.add(b.cidr.substring(0, b.cidr.lastIndexOf('.') + 1) + "1");
            if (b.v6Prefix != null) {
                out.add(IpAddress.format(IpAddress.parse(b.v6Prefix + "1")));
            }
        }
        return out;
    }

    /** A row of census_http. */
    record Get(String host, int port, String category, int run, HttpTiming timing) {
        Transport transport() {
            return timing.transport();
        }
    }

    record Delta(
            String host,
            int port,
            String category,
            int runs,
            int answered,
            int mptcp,
            Double connect,
            Double tls,
            Double firstByte,
            Double total) {}

    static Double dbl(ResultSet r, int i) throws Exception {
        double v = r.getDouble(i);
        return r.wasNull() ? null : v;
    }

    static List<Get> gets(CensusDatabase db) throws Exception {
        List<Get> out = new ArrayList<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT host, port, category, run, transport, connect_ms, tls_ms,"
                                        + " first_byte_ms, total_ms, mptcp_used, status, bytes,"
                                        + " error FROM "
                                        + HttpTables.HTTP.name())) {
            while (r.next()) {
                Integer status = r.getObject(11) == null ? null : r.getInt(11);
                out.add(
                        new Get(
                                r.getString(1),
                                r.getInt(2),
                                r.getString(3),
                                r.getInt(4),
                                new HttpTiming(
                                        Transport.valueOf(r.getString(5)),
                                        dbl(r, 6),
                                        dbl(r, 7),
                                        dbl(r, 8),
                                        dbl(r, 9),
                                        r.getBoolean(10),
                                        status,
                                        r.getLong(12),
                                        r.getString(13))));
            }
        }
        return out;
    }

    static Map<String, Delta> deltas(CensusDatabase db) throws Exception {
        Map<String, Delta> out = new HashMap<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT host, port, category, runs, answered_runs, mptcp_runs,"
                                        + " connect_delta_ms, tls_delta_ms, first_byte_delta_ms,"
                                        + " total_delta_ms FROM "
                                        + HttpTables.DELTAS.name())) {
            while (r.next()) {
                Delta d =
                        new Delta(
                                r.getString(1),
                                r.getInt(2),
                                r.getString(3),
                                r.getInt(4),
                                r.getInt(5),
                                r.getInt(6),
                                dbl(r, 7),
                                dbl(r, 8),
                                dbl(r, 9),
                                dbl(r, 10));
                out.put(d.host() + "|" + d.port(), d);
            }
        }
        return out;
    }

    /** Median of the TCP connect times of a target's GETs. */
    static double medianTcpConnect(List<Get> gets, String host, int port) {
        double[] t =
                gets.stream()
                        .filter(g -> g.host().equals(host) && g.port() == port)
                        .filter(
                                g ->
                                        g.transport() == Transport.TCP
                                                && g.timing().connectMs() != null)
                        .mapToDouble(g -> g.timing().connectMs())
                        .sorted()
                        .toArray();
        assertThat(t).hasSize(RUNS);
        return t[RUNS / 2];
    }

    @Test
    void everyTargetGetsItsPairedRunsAndMptcpIsUsedWhereTheGroundTruthSays() throws Exception {
        Path blocklist =
                Files.writeString(dir.resolve("blocklist.txt"), Behaviour.BLOCKLISTED.cidr + "\n");
        Path targets = Files.write(dir.resolve("targets.txt"), hosts());
        Configuration conf = base(dir.resolve("http.duckdb").toString(), blocklist);
        conf.set(ProbeSourceOptions.HITLIST, targets.toString());
        conf.set(ProbeSourceOptions.PORTS, List.of(80, 443));
        Path capture = dir.resolve("http.pcap");
        long mirroredBefore = testbed().mirroredSynAcks();
        testbed().startCapture(capture);
        CensusDatabase db = CensusDatabase.fromConfiguration(conf);
        new HttpTimingJob(
                        HttpTimingJob.targets(conf),
                        ScanPlan.Safety.of(conf),
                        List.of(new DatabaseOutput(db, conf)),
                        conf)
                .run();
        testbed().stopCaptures();

        List<Get> gets = gets(db);
        gets.forEach(System.out::println);
        // Every target: runs 0..RUNS-1, each over MPTCP and TCP, exactly once.
        Map<String, Set<String>> perTarget = new HashMap<>();
        for (Get g : gets) {
            assertThat(perTarget.computeIfAbsent(g.host() + "|" + g.port(), k -> new HashSet<>()))
                    .as("one row per run and transport")
                    .doesNotContain(g.run() + g.transport().name());
            perTarget.get(g.host() + "|" + g.port()).add(g.run() + g.transport().name());
            assertThat(g.category()).isEqualTo(HostOfInterest.LISTED);
        }
        Set<String> wantRuns = new HashSet<>();
        for (int i = 0; i < RUNS; i++) {
            wantRuns.add(i + "MPTCP");
            wantRuns.add(i + "TCP");
        }
        Set<String> wantTargets = new HashSet<>();
        for (String h : hosts()) {
            wantTargets.add(h + "|80");
            wantTargets.add(h + "|443");
        }
        assertThat(perTarget.keySet()).isEqualTo(wantTargets);
        assertThat(perTarget.values()).allMatch(wantRuns::equals);

        List<String> wrong = new ArrayList<>();
        for (Get g : gets) {
            Behaviour b = Behaviour.of(g.host());
            Boolean mptcp = b.httpMptcp();
            String got;
            String want;
            if (b == Behaviour.BLOCKLISTED) {
                want = "BLOCKED";
                got = g.timing().error();
            } else if (mptcp == null) {
                want = "no answer";
                got =
                        g.timing().status() == null && g.timing().error() != null
                                ? "no answer"
                                : "answered";
            } else {
                want =
                        "200 "
                                + Testbed.HTTP_BODY_BYTES
                                + " body, tls "
                                + (g.port() == 443)
                                + ", mptcp "
                                + (mptcp && g.transport() == Transport.MPTCP);
                got =
                        g.timing().status()
                                + " "
                                + (g.timing().error() == null
                                        ? Testbed.HTTP_BODY_BYTES + " body"
                                        : g.timing().error())
                                + ", tls "
                                + (g.timing().tlsMs() != null)
                                + ", mptcp "
                                + g.timing().mptcpUsed();
                if (g.timing().error() == null && g.timing().bytes() <= Testbed.HTTP_BODY_BYTES) {
                    got += " (only " + g.timing().bytes() + " bytes)";
                }
            }
            if (!want.equals(got)) {
                wrong.add(b + " " + g + ": want " + want + ", got " + got);
            }
        }
        assertThat(wrong).isEmpty();

        // The emulated link in front of the mirroring router loses each connection's first data
        // segment: the request (the ClientHello on 443) is sent again after Linux's minimum
        // retransmission timeout of 200 ms, once.
        for (Get g : gets) {
            if (Behaviour.of(g.host()) == Behaviour.MIRROR_PATH) {
                HttpTiming t = g.timing();
                double lost = g.port() == 443 ? t.tlsMs() : t.firstByteMs() - t.connectMs();
                assertThat(lost).as(g.toString()).isBetween(190.0, 1000.0);
            }
        }

        // The mirroring router wrote MP_CAPABLE into the SYN-ACK of each MPTCP GET through it,
        // and those GETs fell back to TCP.
        assertThat(testbed().mirroredSynAcks() - mirroredBefore)
                .isEqualTo(
                        gets.stream()
                                .filter(
                                        g ->
                                                Behaviour.of(g.host()) == Behaviour.MIRROR_PATH
                                                        && g.transport() == Transport.MPTCP)
                                .count());

        // The deltas: MPTCP connects on the clean path take the emulated link's MPTCP delay more;
        // elsewhere MPTCP and TCP connect alike.
        Map<String, Delta> deltas = deltas(db);
        assertThat(deltas.keySet()).isEqualTo(wantTargets);
        for (Delta d : deltas.values()) {
            Behaviour b = Behaviour.of(d.host());
            assertThat(d.runs()).isEqualTo(RUNS);
            Boolean mptcp = b.httpMptcp();
            assertThat(d.answered()).as(d.toString()).isEqualTo(mptcp == null ? 0 : RUNS);
            assertThat(d.mptcp()).as(d.toString()).isEqualTo(Boolean.TRUE.equals(mptcp) ? RUNS : 0);
            if (mptcp == null) {
                continue;
            }
            double expected = b == Behaviour.CLEAN_PATH ? Testbed.CLEAN_PATH_MPTCP_DELAY_MS : 0;
            System.out.printf(
                    "%s %s:%d median MPTCP - TCP: connect %.1f ms (expected %.0f), tls %s,"
                            + " first byte %.1f, total %.1f%n",
                    b,
                    d.host(),
                    d.port(),
                    d.connect(),
                    expected,
                    d.tls(),
                    d.firstByte(),
                    d.total());
            assertThat(d.connect()).as(d.toString()).isCloseTo(expected, within(TOLERANCE_MS));
            assertThat(d.tls() != null).isEqualTo(d.port() == 443);
            if (b == Behaviour.CLEAN_PATH) {
                // every frame coming back is delayed too: a TCP connect takes that long
                assertThat(medianTcpConnect(gets, d.host(), d.port()))
                        .isCloseTo(Testbed.CLEAN_PATH_UP_DELAY_MS, within(TOLERANCE_MS));
                // the request (an MPTCP segment) waits as well
                assertThat(d.firstByte())
                        .isGreaterThan(2 * Testbed.CLEAN_PATH_MPTCP_DELAY_MS - TOLERANCE_MS);
            }
        }

        // The document's query for the studies' figure gives the numbers of the rows.
        String readme = Files.readString(Launcher.ROOT.resolve("job/docs/http-timing.md"));
        int section = readme.indexOf("\n## HTTP(S) timing");
        int start = readme.indexOf("```sql\n", section) + "```sql\n".length();
        String figure = readme.substring(start, readme.indexOf("```", start));
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(figure)) {
            int groups = 0;
            while (r.next()) {
                groups++;
                int port = r.getInt("port");
                List<Delta> of =
                        deltas.values().stream()
                                .filter(d -> d.port() == port)
                                .filter(d -> d.category().equals(HostOfInterest.LISTED))
                                .toList();
                assertThat(r.getString("category")).isEqualTo(HostOfInterest.LISTED);
                assertThat(r.getLong("targets")).isEqualTo(of.size());
                assertThat(r.getDouble("answered_share"))
                        .isCloseTo(
                                of.stream().filter(d -> d.answered() > 0).count()
                                        / (double) of.size(),
                                within(1e-9));
                assertThat(r.getDouble("mptcp_share"))
                        .isCloseTo(
                                of.stream().filter(d -> d.mptcp() > 0).count() / (double) of.size(),
                                within(1e-9));
                assertThat(r.getDouble("connect_delta_median"))
                        .isCloseTo(percentile(of, Delta::connect, 0.5), within(1e-6));
                assertThat(r.getDouble("total_delta_q1"))
                        .isCloseTo(percentile(of, Delta::total, 0.25), within(1e-6));
                assertThat(r.getDouble("total_delta_q3"))
                        .isCloseTo(percentile(of, Delta::total, 0.75), within(1e-6));
            }
            assertThat(groups).isEqualTo(2);
        }

        // Nothing reached the blocklisted range, and the GETs did go out.
        List<PathVerificationITCase.Syn> syns = PathVerificationITCase.syns(capture);
        assertThat(syns).isNotEmpty();
        assertThat(syns).noneMatch(s -> Behaviour.of(s.segment().dst()) == Behaviour.BLOCKLISTED);
    }

    /** A percentile of the non-null values, interpolated as SQL's percentile_cont. */
    static double percentile(
            List<Delta> deltas, java.util.function.Function<Delta, Double> value, double p) {
        double[] v =
                deltas.stream()
                        .map(value)
                        .filter(x -> x != null)
                        .mapToDouble(Double::doubleValue)
                        .sorted()
                        .toArray();
        double at = p * (v.length - 1);
        int lo = (int) Math.floor(at);
        int hi = (int) Math.ceil(at);
        return v[lo] + (at - lo) * (v[hi] - v[lo]);
    }

    static org.assertj.core.data.Offset<Double> within(double ms) {
        return org.assertj.core.data.Offset.offset(ms);
    }

    @Test
    void theCommandTimesAListAsAUserRunsItAndRefusesMistakesInOneLine() throws Exception {
        Path blocklist =
                Files.writeString(
                        dir.resolve("blocklist-cli.txt"), Behaviour.BLOCKLISTED.cidr + "\n");
        List<String> listed =
                List.of(
                        "198.18.1.2",
                        "2001:db8:0:1::2",
                        "198.18.8.2",
                        "198.18.3.2",
                        Behaviour.BLOCKLISTED.cidr.replace("0/25", "2"));
        Path targets = Files.write(dir.resolve("cli-targets.txt"), listed);
        String sink = "duckdb:" + dir.resolve("cli.duckdb");
        List<String> command =
                List.of(
                        "./mpcensus",
                        "http-timing",
                        "--targets",
                        targets.toString(),
                        "--ports",
                        "80,443",
                        "--runs",
                        "2",
                        "--timeout",
                        "2 s",
                        "--rate",
                        "50",
                        "--blocklist",
                        blocklist.toString(),
                        "--sink",
                        sink);
        Process p = Launcher.start(command, dir, "http-cli");
        assertThat(Launcher.ended(p, 300)).isTrue();
        String out = Files.readString(dir.resolve("http-cli.out"));
        String err = Files.readString(dir.resolve("http-cli.err"));
        assertThat(p.exitValue()).as(out + err).isZero();
        System.out.println(out);
        // The stage's total at the end (and its progress while runs were under way).
        assertThat(err)
                .containsPattern("mpcensus http-timing: HTTP timing: ([1-9]\\d*) of \\1 runs done");
        // one line per host and port, with its runs
        for (String h : listed) {
            assertThat(out)
                    .containsPattern("(?m)^" + java.util.regex.Pattern.quote(h) + " +80 +2 ");
            assertThat(out)
                    .containsPattern("(?m)^" + java.util.regex.Pattern.quote(h) + " +443 +2 ");
        }
        Map<String, Delta> deltas =
                deltas(
                        CensusDatabase.fromConfiguration(
                                base(dir.resolve("cli.duckdb").toString(), blocklist)));
        assertThat(deltas.get("198.18.1.2|443").mptcp()).isEqualTo(2);
        assertThat(deltas.get("198.18.8.2|443").mptcp()).isZero();
        assertThat(deltas.get("198.18.8.2|443").answered()).isEqualTo(2);
        assertThat(deltas.get("198.18.3.2|80").answered()).isZero();

        // The same list timed again that month adds its runs: both runs' GETs are kept, and each
        // host's deltas are over all four of its runs.
        Process again = Launcher.start(command, dir, "http-cli-again");
        assertThat(Launcher.ended(again, 300)).isTrue();
        assertThat(again.exitValue())
                .as(Files.readString(dir.resolve("http-cli-again.err")))
                .isZero();
        CensusDatabase census =
                CensusDatabase.fromConfiguration(
                        base(dir.resolve("cli.duckdb").toString(), blocklist));
        Map<String, Delta> both = deltas(census);
        assertThat(both.keySet()).isEqualTo(deltas.keySet());
        for (Map.Entry<String, Delta> d : both.entrySet()) {
            assertThat(d.getValue().runs()).as(d.getKey()).isEqualTo(4);
        }
        assertThat(both.get("198.18.1.2|443").mptcp()).isEqualTo(4);
        assertThat(both.get("198.18.8.2|443").answered()).isEqualTo(4);
        try (Connection c = census.connect();
                Statement st = c.createStatement();
                ResultSet r =
                        st.executeQuery(
                                "SELECT count(*), count(DISTINCT run) FROM "
                                        + HttpTables.HTTP.name()
                                        + " WHERE host = '198.18.1.2' AND port = 443")) {
            r.next();
            assertThat(r.getInt(1)).isEqualTo(8);
            assertThat(r.getInt(2)).isEqualTo(4);
        }
        assertThat(Files.readString(dir.resolve("http-cli-again.out")))
                .containsPattern("(?m)^198\\.18\\.1\\.2 +443 +4 ");

        // A mistake of the user's is one line and exit code 2, never a stack trace.
        Path empty = Files.writeString(dir.resolve("empty.txt"), "# nothing\n");
        for (List<String> wrong :
                List.of(
                        List.of("--targets", empty.toString()),
                        List.of("--targets", targets.toString(), "--runs", "0"),
                        List.of("--targets", targets.toString(), "--path", "no-slash"),
                        List.of("--targets", dir.resolve("missing.txt").toString()))) {
            List<String> c = new ArrayList<>(List.of("./mpcensus", "http-timing"));
            c.addAll(wrong);
            c.addAll(List.of("--sink", "duckdb:" + dir.resolve("wrong.duckdb")));
            Process w = Launcher.start(c, dir, "http-wrong");
            assertThat(Launcher.ended(w, 120)).isTrue();
            String werr = Files.readString(dir.resolve("http-wrong.err"));
            assertThat(w.exitValue()).as(wrong + ": " + werr).isEqualTo(2);
            assertThat(werr).as(wrong.toString()).startsWith("mpcensus http-timing: ");
            assertThat(werr).doesNotContain("\tat ").doesNotContain("Exception");
        }
    }

    @Test
    void aScanWithPathVerificationTimesTheHostsOfTheChosenCategoriesOncePerPort() throws Exception {
        Path blocklist =
                Files.writeString(
                        dir.resolve("blocklist-scan.txt"), Behaviour.BLOCKLISTED.cidr + "\n");
        Configuration conf = base(dir.resolve("scan.duckdb").toString(), blocklist);
        TESTBED.vantage(conf);
        List<String> targets = new ArrayList<>();
        for (Behaviour b :
                List.of(
                        Behaviour.KERNEL_MPTCP_V1,
                        Behaviour.PLAIN_TCP,
                        Behaviour.STRIPPED_PATH,
                        Behaviour.EMULATED_MIRROR,
                        Behaviour.CLEAN_PATH)) {
            targets.add(b.cidr.substring(0, b.cidr.lastIndexOf('.') + 1) + "0/31");
        }
        conf.set(ProbeSourceOptions.TARGETS, targets);
        conf.set(ProbeSourceOptions.PORTS, List.of(80, 443));
        conf.set(ProbeSourceOptions.VERSIONS, List.of(0, 1));
        conf.set(ProbeSourceOptions.RATE, 500.0);
        conf.set(ProbeSourceOptions.COOLDOWN, Duration.ofSeconds(2));
        conf.set(ProbeSourceOptions.SCAN_ID, "http");
        conf.set(PathOptions.ENABLED, true);
        conf.set(PathOptions.RATE, 150.0);
        conf.set(PathOptions.MAX_TTL, 8);
        conf.set(PathOptions.SILENT_HOPS, 3);
        conf.set(PathOptions.HOP_TIMEOUT, Duration.ofMillis(400));
        conf.set(HttpOptions.ENABLED, true);
        conf.set(HttpOptions.RUNS, 2);
        conf.set(HttpOptions.CATEGORIES, List.of("TRULY_CAPABLE", "MIDDLEBOX_AFFECTED"));
        ProbeJob.fromConfiguration(conf).run();
        CensusDatabase db = CensusDatabase.fromConfiguration(conf);

        // The targets are the hosts and ports whose path has one of the categories, each with the
        // category of one of its paths.
        Map<String, Set<String>> pathCategories = new HashMap<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT host, port, category FROM "
                                        + PathTables.PATHS.name()
                                        + " WHERE category IN ('TRULY_CAPABLE',"
                                        + " 'MIDDLEBOX_AFFECTED')")) {
            while (r.next()) {
                pathCategories
                        .computeIfAbsent(r.getString(1) + "|" + r.getInt(2), k -> new HashSet<>())
                        .add(r.getString(3));
            }
        }
        Map<String, Delta> deltas = deltas(db);
        assertThat(deltas.keySet()).isEqualTo(pathCategories.keySet());
        Set<Behaviour> timed = new HashSet<>();
        for (Delta d : deltas.values()) {
            Behaviour b = Behaviour.of(d.host());
            timed.add(b);
            assertThat(pathCategories.get(d.host() + "|" + d.port())).contains(d.category());
            assertThat(d.runs()).isEqualTo(2);
            assertThat(d.mptcp())
                    .as(d.toString())
                    .isEqualTo(Boolean.TRUE.equals(b.httpMptcp()) ? 2 : 0);
            assertThat(d.answered()).as(d.toString()).isEqualTo(b.httpMptcp() == null ? 0 : 2);
        }
        // Truly capable kernel hosts and the mirrored ones; not the plain, nor the stripped path
        // (whose hosts answer without MPTCP, so they are not verified by default).
        assertThat(timed)
                .containsExactlyInAnyOrder(
                        Behaviour.KERNEL_MPTCP_V1, Behaviour.CLEAN_PATH, Behaviour.EMULATED_MIRROR);
        assertThat(gets(db)).hasSize(deltas.size() * 2 * 2);
    }
}
