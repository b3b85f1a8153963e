package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.testing.Launcher;
import org.mpcensus.job.testing.Postgres;

/**
 * Every input that once stopped a replay, together in one input directory beside good rows: the
 * replay ends with exit 0, the good rows counted, each bad input in {@code dead_letters} with a
 * reason, the run in {@code census_runs}, and a file whose rows all fail for one reason named on
 * stderr, with no stack trace anywhere. Into DuckDB and into a real PostgreSQL (whose columns are
 * bounded: a 5,000-character address once overflowed the reason column there).
 */
class BadInputReplayITCase {
    @RegisterExtension static final Postgres POSTGRES = new Postgres();

    @TempDir Path dir;

    static final String HEADER = "saddr,sport,success,optionshex,timestamp_ts\n";

    static String good(int host) {
        return "198.18.1."
                + host
                + ",443,1,020405b41e0c0081aabbccddeeff00"
                + (10 + host)
                + ",1790000000\n";
    }

    /** Writes the input directory; returns each file's name and the replies it holds. */
    Map<String, Integer> inputs(Path in) throws Exception {
        Files.createDirectories(in);
        Map<String, Integer> replies = new LinkedHashMap<>();
        Files.write(
                in.resolve("dup-header.csv"), HexFormat.of().parseHex("612c612c73616464720a2c0a"));
        replies.put("dup-header.csv", 0);
        Files.writeString(
                in.resolve("trailing-commas.csv"),
                "saddr,sport,success,optionshex,timestamp_ts,,\n"
                        + good(1)
                        + good(2).replace("\n", ",,\n"));
        replies.put("trailing-commas.csv", 2);
        Files.writeString(
                in.resolve("far-times.csv"),
                "saddr,sport,success,optionshex,timestamp_str,timestamp_ts,timestamp_us\n"
                        + "198.18.1.3,443,1,,+300000-01-01T00:00:00Z,,\n"
                        + "198.18.1.4,443,1,,,300000000000,\n"
                        + "198.18.1.5,443,1,,,9999999999999999,\n"
                        + "198.18.1.6,443,1,,,1790000000,-9223372036854775808\n"
                        + "198.18.1.7,443,1,,2026-10-01 10:00:00,,\n");
        replies.put("far-times.csv", 1);
        String json =
                "{\"v\":1,\"ts\":\"%s\",\"vantage\":\"a\",\"scan\":\"s\",\"target\":\"198.18.1.%d\","
                        + "\"port\":443,\"probed_version\":%d,\"probe_options\":\"\",\"type\":\"SYN_ACK\","
                        + "\"ttl\":1,\"ipid\":0,\"window\":1,\"options\":\"\"}\n";
        Files.writeString(
                in.resolve("replies.jsonl"),
                String.format(json, "+294247-01-10T04:00:54.8Z", 8, 0)
                        + String.format(json, "2026-10-01T10:00:00Z", 9, 7)
                        + String.format(json, "2026-10-01T10:00:00Z", 10, 1));
        replies.put("replies.jsonl", 1);
        Files.write(in.resolve("corrupt.csv.gz"), HexFormat.of().parseHex("1f8b0800"));
        replies.put("corrupt.csv.gz", 0);
        Files.write(in.resolve("empty.pcap.gz"), new byte[0]);
        replies.put("empty.pcap.gz", 0);
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write((HEADER + good(11) + good(12)).getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = gz.toByteArray();
        Files.write(
                in.resolve("cut-trailer.csv.gz"), java.util.Arrays.copyOf(whole, whole.length - 5));
        replies.put("cut-trailer.csv.gz", 2);
        Files.writeString(
                in.resolve("long-address.csv"),
                HEADER + "1".repeat(5000) + ",443,1,,1790000000\n" + good(13));
        replies.put("long-address.csv", 1);
        // One line of 2.6 GB (a sparse file: no disk space), then a good row.
        Path huge = in.resolve("huge-line.csv");
        Files.writeString(huge, HEADER);
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(2_600_000_000L);
            f.seek(f.length());
            f.write(("\n" + good(14)).getBytes(StandardCharsets.UTF_8));
        }
        replies.put("huge-line.csv", 1);
        assertThat(
                        new ProcessBuilder("mkfifo", in.resolve("pipe.csv").toString())
                                .start()
                                .waitFor())
                .isZero();
        replies.put("pipe.csv", 0);
        StringBuilder unknownForm =
                new StringBuilder("saddr,sport,success,optionshex,timestamp_str\n");
        for (int i = 0; i < 6; i++) {
            unknownForm
                    .append("198.18.2.")
                    .append(i)
                    .append(",443,1,,01/10/2026 10:0")
                    .append(i)
                    .append('\n');
        }
        Files.writeString(in.resolve("unknown-time-form.csv"), unknownForm);
        replies.put("unknown-time-form.csv", 0);
        Files.write(in.resolve("tsresol-0.pcapng"), pcapngWithTimestampResolutionZero());
        replies.put("tsresol-0.pcapng", 0);
        Files.writeString(in.resolve("good.csv"), HEADER + good(20) + good(21) + good(22));
        replies.put("good.csv", 3);
        return replies;
    }

    /**
     * The real frames of {@code ptcpdump/mptcp.pcap} (with SYN-ACKs) as pcapng whose interface says
     * {@code if_tsresol} 0: timestamps in seconds, so the capture's microsecond counts land far in
     * the future.
     */
    static byte[] pcapngWithTimestampResolutionZero() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.nio.ByteOrder le = java.nio.ByteOrder.LITTLE_ENDIAN;
        block(
                out,
                0x0a0d0d0a,
                java.nio.ByteBuffer.allocate(16)
                        .order(le)
                        .putInt(0x1a2b3c4d)
                        .putShort((short) 1)
                        .putShort((short) 0)
                        .putLong(-1)
                        .array());
        try (org.mpcensus.probe.archive.CaptureReader r =
                new org.mpcensus.probe.archive.CaptureReader(
                        Files.newInputStream(
                                org.mpcensus.probe.testing.SharedData.file(
                                        "ptcpdump/mptcp.pcap")))) {
            org.mpcensus.probe.archive.CapturedFrame f = r.next();
            java.nio.ByteBuffer idb = java.nio.ByteBuffer.allocate(16).order(le);
            idb.putShort((short) f.linkType()).putShort((short) 0).putInt(65535);
            idb.putShort((short) 9).putShort((short) 1).put((byte) 0).put(new byte[3]);
            block(out, 1, idb.array());
            for (; f != null; f = r.next()) {
                long micros = f.timestampNanos() / 1000;
                java.nio.ByteBuffer epb =
                        java.nio.ByteBuffer.allocate(20 + ((f.data().length + 3) & ~3)).order(le);
                epb.putInt(0).putInt((int) (micros >>> 32)).putInt((int) micros);
                epb.putInt(f.data().length).putInt(f.data().length).put(f.data());
                block(out, 6, epb.array());
            }
        }
        return out.toByteArray();
    }

    private static void block(java.io.ByteArrayOutputStream out, int type, byte[] body) {
        java.nio.ByteOrder le = java.nio.ByteOrder.LITTLE_ENDIAN;
        out.writeBytes(
                java.nio.ByteBuffer.allocate(8)
                        .order(le)
                        .putInt(type)
                        .putInt(12 + body.length)
                        .array());
        out.writeBytes(body);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).order(le).putInt(12 + body.length).array());
    }

    @Test
    void intoDuckDb() throws Exception {
        replayAll("duckdb:" + dir.resolve("census.duckdb"));
    }

    @Test
    void intoPostgres() throws Exception {
        replayAll(POSTGRES.server().createDatabase("bad_input"));
    }

    void replayAll(String sink) throws Exception {
        Path in = dir.resolve("in");
        Map<String, Integer> files = inputs(in);
        Process p =
                Launcher.start(
                        List.of("./mpcensus", "replay", "--input", in.toString(), "--sink", sink),
                        dir,
                        "replay");
        assertThat(Launcher.ended(p, 300)).as("the replay ended within 5 minutes").isTrue();
        String err = Files.readString(dir.resolve("replay.err"));
        assertThat(p.exitValue()).as(err).isZero();
        assertThat(err.lines())
                .noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Exception in thread"));
        assertThat(err)
                .contains(
                        "mpcensus replay: unknown-time-form.csv: 6 of 6 rows are dead letters: not a timestamp");

        int expected = files.values().stream().mapToInt(Integer::intValue).sum();
        CensusDatabase db = CensusDatabase.of(sink, null, null);
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            try (ResultSet r =
                    s.executeQuery(
                            "SELECT status, replies, dead_letters, late_replies, command FROM census_runs")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("complete");
                assertThat(r.getLong(2)).isEqualTo(expected);
                assertThat(r.getLong(4)).isZero();
                assertThat(r.getString(5)).isEqualTo("replay");
                assertThat(r.next()).isFalse();
            }
            try (ResultSet r = s.executeQuery("SELECT SUM(replies) FROM census_counts")) {
                r.next();
                assertThat(r.getLong(1)).isEqualTo(expected);
            }
            Map<String, List<String>> reasons = new LinkedHashMap<>();
            try (ResultSet r = s.executeQuery("SELECT source, reason FROM dead_letters")) {
                while (r.next()) {
                    String file = r.getString(1).substring(r.getString(1).lastIndexOf('/') + 1);
                    reasons.computeIfAbsent(file, k -> new ArrayList<>()).add(r.getString(2));
                }
            }
            for (Map.Entry<String, Integer> f : files.entrySet()) {
                if (f.getKey().equals("good.csv") || f.getKey().equals("trailing-commas.csv")) {
                    assertThat(reasons).doesNotContainKey(f.getKey());
                } else {
                    assertThat(reasons).as(f.getKey()).containsKey(f.getKey());
                }
            }
            assertThat(reasons.values().stream().flatMap(List::stream))
                    .allSatisfy(
                            reason ->
                                    assertThat(reason).isNotBlank().hasSizeLessThanOrEqualTo(1000));
            assertThat(reasons.get("dup-header.csv").get(0)).contains("names column 'a' twice");
            assertThat(reasons.get("far-times.csv")).hasSize(4);
            assertThat(reasons.get("far-times.csv"))
                    .allSatisfy(x -> assertThat(x).containsAnyOf("1970..2099", "0..999999"));
            assertThat(reasons.get("replies.jsonl"))
                    .anySatisfy(x -> assertThat(x).contains("1970..2099"))
                    .anySatisfy(x -> assertThat(x).contains("probed_version"));
            assertThat(reasons.get("corrupt.csv.gz").get(0)).contains("could not be opened");
            assertThat(reasons.get("cut-trailer.csv.gz").get(0)).contains("unexpected end of file");
            assertThat(reasons.get("long-address.csv")).hasSize(1);
            assertThat(reasons.get("huge-line.csv").get(0))
                    .contains("line of 25999999")
                    .contains("max-line-bytes");
            assertThat(reasons.get("pipe.csv").get(0)).contains("not a regular file");
            assertThat(reasons.get("tsresol-0.pcapng"))
                    .isNotEmpty()
                    .allSatisfy(x -> assertThat(x).contains("if_tsresol"));
            long runDeadLetters = reasons.values().stream().mapToLong(List::size).sum();
            try (ResultSet r = s.executeQuery("SELECT dead_letters FROM census_runs")) {
                r.next();
                assertThat(r.getLong(1)).isEqualTo(runDeadLetters);
            }
        }
    }
}
