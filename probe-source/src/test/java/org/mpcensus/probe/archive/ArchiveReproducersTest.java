package org.mpcensus.probe.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.probe.event.CaptureTime;
import org.mpcensus.probe.event.CensusInput;
import org.mpcensus.probe.event.DeadLetter;

/**
 * Inputs that once stopped a replay, each read through the replay's file format as a job reads it:
 * every one yields replies and dead letters with a bounded reason, never an exception.
 */
class ArchiveReproducersTest {

    @TempDir Path dir;

    static final String GOOD_ROW = "198.18.0.1,443,1,020405b4";

    /** Every record of a file, read through {@link ArchiveBulkFormat} as the job's source does. */
    static List<CensusInput> read(Path file) throws IOException {
        ArchiveBulkFormat format = new ArchiveBulkFormat(null, settings());
        long size = Files.isRegularFile(file) ? Files.size(file) : 0;
        FileSourceSplit split =
                new FileSourceSplit(
                        "0", new org.apache.flink.core.fs.Path(file.toUri()), 0, size, 0, size);
        List<CensusInput> out = new ArrayList<>();
        try (BulkFormat.Reader<CensusInput> r = format.createReader(new Configuration(), split)) {
            BulkFormat.RecordIterator<CensusInput> batch;
            while ((batch = r.readBatch()) != null) {
                RecordAndPosition<CensusInput> rp;
                while ((rp = batch.next()) != null) {
                    out.add(rp.getRecord());
                }
                batch.releaseBatch();
            }
        }
        for (CensusInput rec : out) {
            if (rec.deadLetter() != null) {
                assertThat(rec.deadLetter().reason()).isNotBlank().hasSizeLessThanOrEqualTo(1000);
            }
        }
        return out;
    }

    static ArchiveSettings settings() {
        return ArchiveSettings.fromConfiguration(new Configuration());
    }

    static List<DeadLetter> dead(List<CensusInput> records) {
        return records.stream().map(CensusInput::deadLetter).filter(d -> d != null).toList();
    }

    static long replies(List<CensusInput> records) {
        return records.stream().filter(r -> r.reply() != null).count();
    }

    Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    Path write(String name, String content) throws IOException {
        return write(name, content.getBytes(StandardCharsets.UTF_8));
    }

    static String csv(String timeColumn, String time) {
        return "saddr,sport,success,optionshex," + timeColumn + "\n" + GOOD_ROW + "," + time + "\n";
    }

    @Test
    void aRepeatedHeaderNameIsADeadLetterNotAnIndexError() throws IOException {
        List<CensusInput> r =
                read(write("dup.csv", HexFormat.of().parseHex("612c612c73616464720a2c0a")));
        assertThat(replies(r)).isZero();
        assertThat(dead(r)).isNotEmpty();
        assertThat(dead(r).get(0).reason()).contains("names column 'a' twice");
    }

    @Test
    void aTrailingCommaInTheHeaderNamesNoColumn() throws IOException {
        List<CensusInput> r =
                read(
                        write(
                                "trailing.csv",
                                "saddr,sport,success,optionshex,timestamp_ts,,\n"
                                        + GOOD_ROW
                                        + ",1600000000\n"
                                        + GOOD_ROW
                                        + ",1600000001,,\n"));
        assertThat(dead(r)).isEmpty();
        assertThat(replies(r)).isEqualTo(2);
    }

    @Test
    void extremeTimestampsAreDeadLettersAtDecode() throws IOException {
        String[][] cases = {
            {"timestamp_str", "+300000-01-01T00:00:00Z", "outside 1970..2099"},
            {"timestamp_ts", "300000000000", "outside 1970..2099"},
            {"timestamp_ts", "9999999999999999", "outside 1970..2099"},
            {"timestamp_ts", "-1", "outside 1970..2099"},
            {"timestamp_ts", "99999999999999999999", "not a number"},
        };
        for (String[] c : cases) {
            List<CensusInput> r = read(write("t.csv", csv(c[0], c[1])));
            assertThat(replies(r)).as(c[1]).isZero();
            assertThat(dead(r))
                    .as(c[1])
                    .singleElement()
                    .satisfies(d -> assertThat(d.reason()).contains(c[2]));
        }
        List<CensusInput> us =
                read(
                        write(
                                "us.csv",
                                "saddr,sport,success,optionshex,timestamp_ts,timestamp_us\n"
                                        + GOOD_ROW
                                        + ",1600000000,-9223372036854775808\n"));
        assertThat(dead(us))
                .singleElement()
                .satisfies(d -> assertThat(d.reason()).contains("0..999999"));
        String json =
                "{\"v\":1,\"ts\":\"+294247-01-10T04:00:54.8Z\",\"vantage\":\"a\",\"scan\":\"s\","
                        + "\"target\":\"198.18.0.1\",\"port\":443,\"probed_version\":0,"
                        + "\"probe_options\":\"\",\"type\":\"SYN_ACK\",\"ttl\":1,\"ipid\":0,"
                        + "\"window\":1,\"options\":\"\"}\n";
        assertThat(dead(read(write("far.jsonl", json))))
                .singleElement()
                .satisfies(d -> assertThat(d.reason()).contains("outside 1970..2099"));
    }

    @Test
    void timestampFormsZmapAndItsForksWriteAreAccepted() throws IOException {
        String[][] forms = {
            {"2026-10-01 10:00:00", "2026-10-01T10:00:00.000000Z"},
            {"2026-10-01T10:00:00.123+0000", "2026-10-01T10:00:00.123000Z"},
            {"2026-10-01T12:00:00.5+02:00", "2026-10-01T10:00:00.500000Z"},
            {"2026-10-01T10:00:00Z", "2026-10-01T10:00:00.000000Z"},
            {"2026-10-01 10:00:00.123456 UTC", "2026-10-01T10:00:00.123456Z"},
        };
        for (String[] f : forms) {
            List<CensusInput> r = read(write("f.csv", csv("timestamp_str", f[0])));
            assertThat(dead(r)).as(f[0]).isEmpty();
            assertThat(CaptureTime.format(r.get(0).reply().captureTimeMicros()))
                    .as(f[0])
                    .isEqualTo(f[1]);
        }
    }

    @Test
    void aProbedVersionThatDoesNotExistIsADeadLetter() throws IOException {
        String json =
                "{\"v\":1,\"ts\":\"2026-10-01T10:00:00Z\",\"vantage\":\"a\",\"scan\":\"s\","
                        + "\"target\":\"198.18.0.1\",\"port\":443,\"probed_version\":7,"
                        + "\"probe_options\":\"\",\"type\":\"SYN_ACK\",\"ttl\":1,\"ipid\":0,"
                        + "\"window\":1,\"options\":\"\"}\n";
        assertThat(dead(read(write("v7.jsonl", json))))
                .singleElement()
                .satisfies(d -> assertThat(d.reason()).contains("probed_version"));
    }

    @Test
    void corruptEmptyAndCutGzipFilesAreOneDeadLetterEach() throws IOException {
        assertThat(dead(read(write("x.csv.gz", HexFormat.of().parseHex("1f8b0800")))))
                .singleElement()
                .satisfies(d -> assertThat(d.reason()).contains("could not be"));
        assertThat(dead(read(write("x.pcap.gz", new byte[0])))).hasSize(1);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(csv("timestamp_ts", "1600000000").getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = gz.toByteArray();
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 5);
        List<CensusInput> r = read(write("cut.csv.gz", cut));
        assertThat(replies(r)).isEqualTo(1);
        assertThat(dead(r))
                .singleElement()
                .satisfies(d -> assertThat(d.reason()).contains("unexpected end of file"));
    }

    @Test
    void aFifoIsSkippedWithADeadLetterInsteadOfBlocking() throws Exception {
        Path fifo = dir.resolve("pipe.csv");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        assertThat(dead(read(fifo)))
                .singleElement()
                .satisfies(d -> assertThat(d.reason()).contains("not a regular file"));
    }

    @Test
    void aHugeAddressGivesABoundedReason() throws IOException {
        String row = "1".repeat(5000) + ",443,1,020405b4\n";
        List<DeadLetter> d =
                dead(read(write("addr.csv", "saddr,sport,success,optionshex\n" + row)));
        assertThat(d)
                .singleElement()
                .satisfies(
                        x ->
                                assertThat(x.reason())
                                        .hasSizeLessThanOrEqualTo(DeadLetter.MAX_REASON));
    }

    @Test
    void aPcapngWithTimestampResolutionZeroGivesDeadLettersNotDatesOf1738() throws IOException {
        byte[] ng =
                CaptureReaderTest.pcapng(CaptureReaderTest.realFrames(), ByteOrder.LITTLE_ENDIAN);
        // SHB is 28 bytes; the IDB's if_tsresol value sits 12 bytes into its body.
        assertThat(ng[28 + 8 + 12]).isEqualTo((byte) 9);
        ng[28 + 8 + 12] = 0;
        List<CensusInput> r = read(write("tsresol0.pcapng", ng));
        assertThat(replies(r)).isZero();
        assertThat(dead(r))
                .isNotEmpty()
                .allSatisfy(d -> assertThat(d.reason()).contains("if_tsresol"));
        ng[28 + 8 + 12] = 9;
        assertThat(replies(read(write("tsresol9.pcapng", ng)))).isPositive();
    }

    @Test
    void aSynWithAnUnknownMpCapableVersionIsADeadLetterNotAnUnreadableArchiveLine()
            throws IOException {
        // Found by the fuzzer: a mutated capture whose SYN carries MP_CAPABLE version 2.
        String hex =
                new String(
                                ArchiveReproducersTest.class
                                        .getResourceAsStream(
                                                "/fuzz/syn-mp-capable-version-2.pcap.gz.hex")
                                        .readAllBytes(),
                                StandardCharsets.US_ASCII)
                        .trim();
        List<CensusInput> r = read(write("v2.pcap.gz", HexFormat.of().parseHex(hex)));
        assertThat(dead(r))
                .anySatisfy(d -> assertThat(d.reason()).contains("MP_CAPABLE version 2"));
        r.stream().filter(x -> x.reply() != null).forEach(x -> ArchiveFuzz.roundTrip(x.reply()));
    }
}
