package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.job.census.SyntheticScan;
import org.mpcensus.job.runtime.CensusOptions;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.testing.Replays;
import org.mpcensus.job.testing.TableDump;
import org.mpcensus.probe.testing.SharedData;
import org.mpcensus.udf.enrich.EnrichmentOptions;

class ReplayDuckDbITCase {

    @TempDir Path dir;

    @Test
    void replayingTheSameArchiveTwiceLeavesIdenticalTables() throws Exception {
        Configuration conf = Replays.conf("duckdb:" + dir.resolve("census.duckdb"));
        CensusDatabase db = Replays.run(conf, List.of(Replays.sample().toString()));
        Map<String, List<String>> first = TableDump.of(db);
        assertThat(first.get("census_counts")).isNotEmpty();
        assertThat(first.get("census_hosts")).isNotEmpty();
        Replays.run(conf, List.of(Replays.sample().toString()));
        assertThat(TableDump.of(db)).isEqualTo(first);

        // A fresh database fed the same archive holds the same tables.
        Configuration other = Replays.conf("duckdb:" + dir.resolve("other.duckdb"));
        assertThat(TableDump.of(Replays.run(other, List.of(Replays.sample().toString()))))
                .isEqualTo(first);
    }

    @Test
    void monthsReplayedOutOfOrderGiveTheSameTablesAsInOrder() throws Exception {
        List<String> rows = new ArrayList<>();
        String header = null;
        for (String line : Files.readAllLines(Replays.sample())) {
            if (line.startsWith("#")) {
                continue;
            }
            if (header == null) {
                header = line;
            } else if (line.split(",").length == header.split(",").length) {
                rows.add(line);
            }
        }
        int ts = java.util.Arrays.asList(header.split(",")).indexOf("timestamp_ts");
        java.util.function.Function<String, String> month =
                line ->
                        org.mpcensus.probe.event.CaptureTime.month(
                                Long.parseLong(line.split(",")[ts]) * 1_000_000L);
        List<String> inOrder = new ArrayList<>(rows);
        inOrder.sort(java.util.Comparator.comparingLong(l -> Long.parseLong(l.split(",")[ts])));
        List<String> shuffled = new ArrayList<>();
        for (String m : List.of("2026-10", "2026-08", "2026-09")) {
            for (String line : rows) {
                if (month.apply(line).equals(m)) {
                    shuffled.add(line);
                }
            }
        }
        assertThat(shuffled).hasSameSizeAs(inOrder);
        Path a = dir.resolve("in-order.csv");
        Path b = dir.resolve("shuffled.csv");
        List<String> withHeader = new ArrayList<>(List.of(header));
        withHeader.addAll(inOrder);
        Files.write(a, withHeader);
        withHeader = new ArrayList<>(List.of(header));
        withHeader.addAll(shuffled);
        Files.write(b, withHeader);

        Map<String, List<String>> ordered =
                TableDump.of(
                        Replays.run(
                                Replays.conf("duckdb:" + dir.resolve("a.duckdb")),
                                List.of(a.toString())));
        Map<String, List<String>> reordered =
                TableDump.of(
                        Replays.run(
                                Replays.conf("duckdb:" + dir.resolve("b.duckdb")),
                                List.of(b.toString())));
        // Dead letters name their file and line, which differ between the two files by design.
        List<String> orderedLetters = ordered.remove("dead_letters");
        assertThat(reordered.remove("dead_letters")).hasSameSizeAs(orderedLetters);
        assertThat(reordered).isEqualTo(ordered);
        // With a watermark, the state of months that are over goes while the replay runs; read in
        // time order, nothing is late, so the tables are the same.
        Configuration watermarked = Replays.conf("duckdb:" + dir.resolve("c.duckdb"));
        watermarked.set(CensusOptions.REPLAY_OUT_OF_ORDERNESS, java.time.Duration.ofHours(1));
        Map<String, List<String>> expiring =
                TableDump.of(Replays.run(watermarked, List.of(a.toString())));
        assertThat(expiring.remove("dead_letters")).isEqualTo(orderedLetters);
        assertThat(expiring).isEqualTo(ordered);
        assertThat(ordered.get("census_consistency"))
                .anyMatch(r -> r.contains("month=2026-10") && r.contains("consistent=true"))
                .anyMatch(r -> r.contains("is_transient=true"));
    }

    @Test
    void parallelismOneAndThreeGiveIdenticalTables() throws Exception {
        // Three months of an Internet-like mix, read in byte ranges of 200 KB: at parallelism 3
        // three readers decode parts of the file, fold plain replies apart and merge them.
        Path csv = dir.resolve("parallel.csv");
        Path asn = Files.writeString(dir.resolve("parallel-asn.dat"), SyntheticScan.asnTable());
        long written;
        try (var w = Files.newBufferedWriter(csv)) {
            written =
                    new SyntheticScan(
                                    13,
                                    4000,
                                    List.of(
                                            java.time.YearMonth.of(2026, 8),
                                            java.time.YearMonth.of(2026, 9),
                                            java.time.YearMonth.of(2026, 10)),
                                    SyntheticScan.Mix.INTERNET)
                            .write(w);
        }
        Map<Integer, Map<String, List<String>>> tables = new HashMap<>();
        for (int parallelism : new int[] {1, 3}) {
            Configuration conf =
                    Replays.conf("duckdb:" + dir.resolve("p" + parallelism + ".duckdb"));
            conf.set(EnrichmentOptions.ASN_TABLE, asn.toString());
            conf.set(org.apache.flink.configuration.CoreOptions.DEFAULT_PARALLELISM, parallelism);
            conf.set(
                    org.mpcensus.probe.archive.ArchiveOptions.SPLIT_BYTES,
                    org.apache.flink.configuration.MemorySize.parse("200kb"));
            Map<String, List<String>> dump =
                    TableDump.of(Replays.run(conf, List.of(csv.toString())));
            // Dead letters of a later range are located from its first byte: compare their count.
            List<String> letters = dump.remove("dead_letters");
            dump.put("dead_letters", List.of(String.valueOf(letters.size())));
            tables.put(parallelism, dump);
        }
        assertThat(Files.size(csv)).isGreaterThan(600_000);
        assertThat(tables.get(3)).isEqualTo(tables.get(1));
        CensusDatabase db =
                CensusDatabase.fromConfiguration(
                        Replays.conf("duckdb:" + dir.resolve("p3.duckdb")));
        // every reply is counted once, and plain responders are most hosts
        assertThat(rows(db, "SELECT SUM(replies) FROM census_counts"))
                .containsExactly(String.valueOf(written));
        assertThat(
                        rows(
                                db,
                                "SELECT SUM(hosts) > 10 * (SELECT COUNT(*) FROM census_hosts)"
                                        + " FROM census_counts WHERE classification = 'NOT_MPTCP'"))
                .containsExactly("true");
    }

    /** Rows of a query as "a|b|c" strings. */
    static java.util.Set<String> rows(CensusDatabase db, String sql) throws Exception {
        java.util.Set<String> out = new java.util.TreeSet<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i == 1 ? "" : "|").append(r.getString(i));
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    @Test
    void overlapAndMigrationAgreeWithARecountFromTheHostsTable() throws Exception {
        CensusDatabase db =
                Replays.run(
                        Replays.conf("duckdb:" + dir.resolve("overlap.duckdb")),
                        List.of(Replays.sample().toString()));
        // Per month, host and port: the versions it was a candidate for (1: v0, 2: v1).
        String cells =
                "(SELECT month, host, port, SUM(CASE WHEN probed_version = 0 THEN 1 ELSE 2 END) AS bits"
                        + " FROM census_hosts WHERE classification = 'CANDIDATE'"
                        + " GROUP BY month, host, port)";
        String streamed =
                "SELECT month, %s, category, SUM(hosts) FROM census_overlap WHERE measure = '%s'"
                        + " GROUP BY ALL HAVING SUM(hosts) > 0";
        java.util.Set<String> versions =
                rows(
                        db,
                        "SELECT month, port, CASE bits WHEN 1 THEN 'only_v0' WHEN 2 THEN 'only_v1'"
                                + " ELSE 'both' END AS category, COUNT(*) FROM "
                                + cells
                                + " GROUP BY ALL");
        assertThat(rows(db, String.format(streamed, "port", "VERSIONS"))).isEqualTo(versions);
        java.util.Set<String> ports =
                rows(
                        db,
                        "SELECT month, probed_version, CASE WHEN on80 AND on443 THEN 'both' WHEN on80"
                                + " THEN 'only_80' ELSE 'only_443' END, COUNT(*) FROM (SELECT month,"
                                + " host, probed_version, bool_or(port = 80) AS on80,"
                                + " bool_or(port = 443) AS on443 FROM census_hosts WHERE"
                                + " classification = 'CANDIDATE' AND port IN (80, 443) GROUP BY ALL)"
                                + " GROUP BY ALL");
        assertThat(rows(db, String.format(streamed, "probed_version", "PORTS"))).isEqualTo(ports);
        String pairs =
                "(SELECT cur.month, cur.port, prev.bits AS was, cur.bits AS now FROM "
                        + cells
                        + " cur JOIN "
                        + cells
                        + " prev ON cur.host = prev.host AND cur.port = prev.port AND"
                        + " strptime(cur.month, '%Y-%m') = strptime(prev.month, '%Y-%m') +"
                        + " INTERVAL 1 MONTH)";
        java.util.Set<String> migration =
                rows(
                        db,
                        "SELECT month, port, category, COUNT(*) FROM (SELECT month, port,"
                                + " 'unchanged' AS category FROM "
                                + pairs
                                + " WHERE was = now UNION ALL SELECT month, port, 'added_v1' FROM "
                                + pairs
                                + " WHERE was & 2 = 0 AND now & 2 = 2 UNION ALL SELECT month, port,"
                                + " 'dropped_v0' FROM "
                                + pairs
                                + " WHERE was & 1 = 1 AND now & 1 = 0 UNION ALL SELECT month, port,"
                                + " 'switched_v0_to_v1' FROM "
                                + pairs
                                + " WHERE was = 1 AND now = 2) GROUP BY ALL");
        assertThat(rows(db, String.format(streamed, "port", "MIGRATION"))).isEqualTo(migration);
        assertThat(ports).anyMatch(r -> r.contains("|both|"));
        assertThat(migration).anyMatch(r -> r.contains("|unchanged|"));
    }

    @Test
    void tablesAgreeWithARecountOfTheEmittedReplies() throws Exception {
        Path replies = dir.resolve("replies.jsonl");
        Configuration conf = Replays.conf("duckdb:" + dir.resolve("census.duckdb"));
        conf.set(CensusOptions.EMIT_REPLIES, replies.toString());
        CensusDatabase db = Replays.run(conf, List.of(Replays.sample().toString()));

        // Recount: per (month, host, port, version) the classification of the latest reply that
        // is not NOT_MPTCP, or NOT_MPTCP when the host sent no other.
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> latest = new HashMap<>();
        long lines = 0;
        java.util.function.Predicate<JsonNode> plain =
                n -> n.get("classification").asText().equals("NOT_MPTCP");
        for (String line : Files.readAllLines(replies, StandardCharsets.UTF_8)) {
            lines++;
            JsonNode n = json.readTree(line);
            String host =
                    n.get("month").asText()
                            + "|"
                            + n.get("saddr").asText()
                            + "|"
                            + n.get("port").asInt()
                            + "|"
                            + n.get("probed_version").asInt();
            JsonNode before = latest.get(host);
            boolean later =
                    n.get("ts").asText().compareTo(before == null ? "" : before.get("ts").asText())
                            > 0;
            if (before == null
                    || (plain.test(before) && !plain.test(n))
                    || (plain.test(before) == plain.test(n) && later)) {
                latest.put(host, n);
            }
        }
        // A candidate key that two addresses returned in one month counts as SUSPECT_KEY.
        Map<String, java.util.Set<String>> keyAddresses = new HashMap<>();
        for (String line : Files.readAllLines(replies, StandardCharsets.UTF_8)) {
            JsonNode n = json.readTree(line);
            if (n.get("classification").asText().equals("CANDIDATE")
                    && !n.get("sender_key").isNull()) {
                keyAddresses
                        .computeIfAbsent(
                                n.get("month").asText() + "|" + n.get("sender_key").asText(),
                                k -> new java.util.HashSet<>())
                        .add(n.get("saddr").asText());
            }
        }
        java.util.function.Function<JsonNode, String> effective =
                n -> {
                    String c = n.get("classification").asText();
                    if (c.equals("CANDIDATE")
                            && keyAddresses
                                            .get(
                                                    n.get("month").asText()
                                                            + "|"
                                                            + n.get("sender_key").asText())
                                            .size()
                                    > 1) {
                        return "SUSPECT_KEY";
                    }
                    return c;
                };
        Map<String, Long> expected = new HashMap<>();
        for (JsonNode n : latest.values()) {
            String key =
                    n.get("month").asText()
                            + "|"
                            + n.get("port").asInt()
                            + "|"
                            + n.get("probed_version").asInt()
                            + "|"
                            + n.get("asn").asLong()
                            + "|"
                            + effective.apply(n);
            expected.merge(key, 1L, Long::sum);
        }
        Map<String, Long> actual = new HashMap<>();
        long replyTotal;
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            try (ResultSet r =
                    s.executeQuery(
                            "SELECT month, port, probed_version, asn, classification, SUM(hosts) FROM census_counts GROUP BY 1, 2, 3, 4, 5 HAVING SUM(hosts) > 0")) {
                while (r.next()) {
                    actual.put(
                            r.getString(1)
                                    + "|"
                                    + r.getInt(2)
                                    + "|"
                                    + r.getInt(3)
                                    + "|"
                                    + r.getLong(4)
                                    + "|"
                                    + r.getString(5),
                            r.getLong(6));
                }
            }
            try (ResultSet r = s.executeQuery("SELECT SUM(replies) FROM census_counts")) {
                r.next();
                replyTotal = r.getLong(1);
            }
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(replyTotal).isEqualTo(lines);
        // the sample has candidates, mirrors and suspect keys in known ASes
        assertThat(expected.keySet()).anyMatch(k -> k.endsWith("|64499|MIRRORED"));
        assertThat(expected.keySet()).anyMatch(k -> k.endsWith("|64503|SUSPECT_KEY"));
        assertThat(expected.keySet()).anyMatch(k -> k.endsWith("|CANDIDATE"));
    }

    @Test
    void theKeyRewritersAsFailsTheKeyTestAndMostOthersDoNot() throws Exception {
        Path csv = dir.resolve("big.csv");
        Path asn = Files.writeString(dir.resolve("big-asn.dat"), SyntheticScan.asnTable());
        try (var w = Files.newBufferedWriter(csv)) {
            new SyntheticScan(11, 3000, List.of(java.time.YearMonth.of(2026, 10))).write(w);
        }
        Configuration conf = Replays.conf("duckdb:" + dir.resolve("big.duckdb"));
        conf.set(EnrichmentOptions.ASN_TABLE, asn.toString());
        CensusDatabase db = Replays.run(conf, List.of(csv.toString()));
        Map<String, Boolean> flagged = new HashMap<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT asn, probed_version, flagged FROM census_key_tests"
                                        + " WHERE port = 443 AND ip_version = 4")) {
            while (r.next()) {
                flagged.put(r.getLong(1) + "|v" + r.getInt(2), r.getBoolean(3));
            }
        }
        // AS64503 is the network of key rewriters (one fixed key of weight 16): flagged for v0,
        // where its replies are SUSPECT_KEY, and for v1, where they count as candidates.
        assertThat(flagged).containsEntry("64503|v0", true).containsEntry("64503|v1", true);
        long others = flagged.keySet().stream().filter(k -> !k.startsWith("64503|")).count();
        long othersFlagged =
                flagged.entrySet().stream()
                        .filter(e -> !e.getKey().startsWith("64503|") && e.getValue())
                        .count();
        assertThat(others).isPositive();
        assertThat(othersFlagged).isLessThan(others);
    }

    @Test
    void hostsAreLocatedWithAMaxMindCountryDatabase() throws Exception {
        Path csv = dir.resolve("countries.csv");
        Files.write(
                csv,
                List.of(
                        "saddr,sport,optionshex,success,timestamp_ts,probed_version",
                        "81.2.69.160,443,0x1e0c0101e356a8f252e41976,1,1788220800,1",
                        "2001:218::1,443,0x1e0c01015d0c3be2a56d1a44,1,1788220800,1",
                        "198.18.0.1,443,0x1e0c0101c3a4b5d6e7f80912,1,1788220800,1",
                        "81.2.69.161,443,0x020405b4,1,1788220800,1"));
        Configuration conf = Replays.conf("duckdb:" + dir.resolve("countries.duckdb"));
        conf.set(
                EnrichmentOptions.COUNTRY_DB,
                SharedData.file("maxmind/GeoIP2-Country-Test.mmdb").toString());
        CensusDatabase db = Replays.run(conf, List.of(csv.toString()));
        Map<String, String> countries = new HashMap<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                // hosts that sent MP_CAPABLE: the plain responder 81.2.69.161 is only counted
                ResultSet r = s.executeQuery("SELECT host, country FROM census_hosts")) {
            while (r.next()) {
                countries.put(r.getString(1), r.getString(2));
            }
        }
        Map<String, String> want = new HashMap<>();
        want.put("81.2.69.160", "GB");
        want.put("2001:218::1", "JP");
        want.put("198.18.0.1", null);
        assertThat(countries).isEqualTo(want);
    }

    @Test
    void everyBrokenRowOfAnArchiveEndsInTheDeadLetterTable() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(SyntheticScan.HEADER);
        lines.add(
                "198.18.0.1,198.19.255.1,443,40000,1,60,65160,0x020405b41e0c0101e356a8f252e41976,MSS-MPTCP-,--,1,1788220800,0,1");
        List<Integer> broken = new ArrayList<>();
        for (String row : org.mpcensus.job.cli.SynthCommand.BROKEN_ROWS) {
            lines.add(row);
            broken.add(lines.size());
        }
        lines.add(
                "198.18.0.2,198.19.255.1,443,40000,1,60,65160,0x1e0501810c,MSS-MPTCP-,--,1,1788220800,0,1");
        lines.add("198.18.0.3,198.19.255.1,80,40000,1,60,0,,,--,0,1788220800,0,1");
        Path csv = dir.resolve("broken.csv");
        Files.write(csv, lines);
        Configuration conf = Replays.conf("duckdb:" + dir.resolve("census.duckdb"));
        CensusDatabase db = Replays.run(conf, List.of(csv.toString()));

        Map<String, String> letters = new HashMap<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery("SELECT source, location, reason, raw FROM dead_letters")) {
            while (r.next()) {
                letters.put(r.getString(2), r.getString(3));
                if (r.getString(2).startsWith("line ")) {
                    int line = Integer.parseInt(r.getString(2).substring(5));
                    assertThat(new String(r.getBytes(4), StandardCharsets.UTF_8))
                            .isEqualTo(lines.get(line - 1));
                    assertThat(r.getString(1)).endsWith("broken.csv");
                }
            }
        }
        for (int line : broken) {
            assertThat(letters).containsKey("line " + line);
        }
        // the malformed MP_CAPABLE reply is both counted and kept as a dead letter
        assertThat(letters.values()).anyMatch(reason -> reason.contains("malformed reply options"));
        assertThat(letters).hasSize(broken.size() + 1);
        Map<String, List<String>> tables = TableDump.of(db);
        // census_hosts holds the hosts that sent MP_CAPABLE (or a malformed option); the plain
        // responder is counted in census_counts
        assertThat(tables.get("census_hosts")).hasSize(2);
        assertThat(tables.get("census_counts"))
                .anyMatch(
                        r ->
                                r.contains("port=80|")
                                        && r.contains("classification=NOT_MPTCP")
                                        && r.contains("hosts=1|replies=1"));
    }

    @Test
    void capturesReplayWithTheProbeTakenFromTheCapturedSyn() throws Exception {
        Configuration conf = Replays.conf("duckdb:" + dir.resolve("census.duckdb"));
        CensusDatabase db =
                Replays.run(
                        conf,
                        List.of(
                                SharedData.file("ptcpdump/mptcp.pcap").toString(),
                                SharedData.file("tcpdump/mptcp-fclose.pcap").toString(),
                                SharedData.file("tcpdump/mptcp-dss-oobr.pcap").toString()));
        Map<String, List<String>> tables = TableDump.of(db);
        assertThat(tables.get("census_hosts"))
                .anyMatch(
                        r ->
                                r.contains("host=127.0.0.1|port=12345|probed_version=1")
                                        && r.contains("classification=CANDIDATE")
                                        && r.contains("sender_key=e356a8f252e41976"))
                .anyMatch(
                        r ->
                                r.contains("host=10.2.1.2|port=2002|probed_version=0")
                                        && r.contains("classification=CANDIDATE")
                                        && r.contains(
                                                "key_weight=" + Long.bitCount(0xd005b1ab34bad344L)))
                .hasSize(2);
        assertThat(tables.get("dead_letters"))
                .singleElement()
                .asString()
                .contains("location=frame 1")
                .contains("mptcp dss option with length 3");
    }
}
