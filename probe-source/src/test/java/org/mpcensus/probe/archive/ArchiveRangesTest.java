package org.mpcensus.probe.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.probe.event.CensusInput;

/**
 * A large CSV or JSON Lines file read in byte ranges by several readers yields exactly the records
 * one reader of the whole file yields: every line in exactly one range, the CSV header known to
 * every range, bad lines the same dead letters (located from the range's first byte).
 */
class ArchiveRangesTest {
    @TempDir Path dir;

    static final ArchiveSettings SETTINGS =
            ArchiveSettings.fromConfiguration(
                    new Configuration() {
                        {
                            setString(ArchiveOptions.MAX_LINE_BYTES.key(), "300");
                        }
                    });

    /** Records of every split of a file cut into ranges of about {@code splitBytes}. */
    static List<CensusInput> read(Path file, long splitBytes) throws IOException {
        Collection<FileSourceSplit> splits =
                new ArchiveEnumerator(null, splitBytes)
                        .enumerateSplits(
                                new org.apache.flink.core.fs.Path[] {
                                    new org.apache.flink.core.fs.Path(file.toUri())
                                },
                                1);
        List<CensusInput> out = new ArrayList<>();
        ArchiveBulkFormat format = new ArchiveBulkFormat(null, SETTINGS);
        for (FileSourceSplit split : splits) {
            try (BulkFormat.Reader<CensusInput> r =
                    format.createReader(new Configuration(), split)) {
                BulkFormat.RecordIterator<CensusInput> batch;
                while ((batch = r.readBatch()) != null) {
                    RecordAndPosition<CensusInput> rp;
                    while ((rp = batch.next()) != null) {
                        out.add(rp.getRecord());
                    }
                }
            }
        }
        return out;
    }

    /** A record as text, without where in the file it was. */
    static String text(CensusInput r) {
        return r.reply() != null
                ? ReplyArchiveJson.write(r.reply())
                : "dead letter: "
                        + r.deadLetter().reason()
                        + " | "
                        + new String(r.deadLetter().raw(), StandardCharsets.UTF_8);
    }

    static List<String> sorted(List<CensusInput> records) {
        List<String> t = new ArrayList<>(records.stream().map(ArchiveRangesTest::text).toList());
        t.sort(null);
        return t;
    }

    /** A CSV with comments before the header, good rows, bad rows, CRLF, blank and long lines. */
    Path csv(Random random, int rows) throws IOException {
        StringBuilder b = new StringBuilder("# a comment\n\n# another\n");
        b.append("saddr,sport,timestamp_ts,optionshex\n");
        for (int i = 0; i < rows; i++) {
            String row =
                    "198.18."
                            + (i / 250)
                            + "."
                            + (i % 250 + 1)
                            + ",443,"
                            + (1780000000 + i)
                            + ","
                            + (random.nextInt(5) == 0 ? "1e0c0081" + "ab".repeat(8) : "020405b4");
            switch (random.nextInt(12)) {
                case 0 -> b.append("not,a,row\n");
                case 1 -> b.append("x".repeat(400)).append('\n'); // longer than the bound
                case 2 -> b.append(row).append("\r\n");
                case 3 -> b.append('\n');
                default -> b.append(row).append('\n');
            }
        }
        b.append("198.18.99.1,443,1780000000,020405b4"); // no final newline
        Path p = dir.resolve("ranges-" + rows + ".csv");
        Files.writeString(p, b);
        return p;
    }

    @Test
    void everyRangeSizeGivesTheRecordsOfTheWholeCsv() throws IOException {
        Random random = new Random(8);
        Path file = csv(random, 400);
        List<CensusInput> whole = read(file, 0);
        assertThat(whole.stream().filter(r -> r.reply() != null).count()).isGreaterThan(250);
        assertThat(whole.stream().filter(r -> r.deadLetter() != null).count()).isPositive();
        List<String> expected = sorted(whole);
        long size = Files.size(file);
        for (long bytes : new long[] {23, 37, 299, 1000, size / 2, size - 1}) {
            List<CensusInput> ranged = read(file, bytes);
            assertThat(sorted(ranged)).as("ranges of %d bytes", bytes).isEqualTo(expected);
        }
        // one-byte and two-byte ranges: most hold no line start at all
        Path tiny = csv(random, 30);
        assertThat(sorted(read(tiny, 1))).isEqualTo(sorted(read(tiny, 0)));
        assertThat(sorted(read(tiny, 2))).isEqualTo(sorted(read(tiny, 0)));
        // a dead letter of a later range says where its lines are counted from
        assertThat(read(file, 1000))
                .anyMatch(
                        r ->
                                r.deadLetter() != null
                                        && r.deadLetter()
                                                .location()
                                                .matches("line \\d+ from byte \\d+"));
    }

    @Test
    void jsonLinesAndRandomLayoutsSplitExactly() throws IOException {
        Random random = new Random(9);
        for (int round = 0; round < 20; round++) {
            Path file = csv(random, 1 + random.nextInt(200));
            List<CensusInput> whole = read(file, 0);
            long size = Files.size(file);
            assertThat(sorted(read(file, 16 + random.nextInt((int) size))))
                    .isEqualTo(sorted(whole));
            // the same replies as mpcensus's JSON Lines archive, with a bad line among them
            StringBuilder jsonl = new StringBuilder();
            for (CensusInput r : whole) {
                jsonl.append(r.reply() != null ? ReplyArchiveJson.write(r.reply()) : "{bad")
                        .append('\n');
            }
            Path j = dir.resolve("round-" + round + ".jsonl");
            Files.writeString(j, jsonl);
            List<CensusInput> wholeJson = read(j, 0);
            assertThat(sorted(read(j, 16 + random.nextInt((int) Files.size(j)))))
                    .isEqualTo(sorted(wholeJson));
        }
    }

    @Test
    void aLineOfManyRangesIsSkippedByEachRangeInItsOwnBytesOnly() throws IOException {
        // A 40 MB line (a sparse file: no disk space) between two good rows, read in 1 MB ranges:
        // a range that only holds the middle of the line reads its megabyte and yields nothing.
        Path file = dir.resolve("long-line.csv");
        String head = "saddr,sport,timestamp_ts,optionshex\n198.18.0.1,443,1780000000,020405b4\n";
        Files.writeString(file, head);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(head.length() + 40_000_000L);
            f.seek(f.length());
            f.write("\n198.18.0.2,443,1780000000,020405b4\n".getBytes(StandardCharsets.UTF_8));
        }
        List<CensusInput> whole = read(file, 0);
        assertThat(whole).hasSize(3);
        assertThat(sorted(read(file, 1_000_000))).isEqualTo(sorted(whole));
    }

    @Test
    void gzipFilesAndCapturesAreReadWhole() {
        assertThat(ArchiveEnumerator.splittable(null, "scan.csv")).isTrue();
        assertThat(ArchiveEnumerator.splittable(null, "replies.jsonl")).isTrue();
        assertThat(ArchiveEnumerator.splittable(null, "scan.csv.gz")).isFalse();
        assertThat(ArchiveEnumerator.splittable(null, "scan.pcap")).isFalse();
        assertThat(ArchiveEnumerator.splittable(null, "scan.unknown")).isFalse();
        assertThat(ArchiveEnumerator.splittable(ArchiveFormat.CSV, "scan.unknown")).isTrue();
    }
}
