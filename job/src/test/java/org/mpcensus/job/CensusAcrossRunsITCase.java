package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.job.census.SyntheticScan;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.testing.Cli;
import org.mpcensus.job.testing.Launcher;
import org.mpcensus.job.testing.Postgres;
import org.mpcensus.job.testing.TableDump;

/**
 * One census across runs: a synthetic archive of five months replayed as one run, and as several
 * runs over splits of it (one per month, one per third of the hosts, the months in reverse order,
 * each month in two halves of its days, the same file twice), into DuckDB and into PostgreSQL.
 * Every census table and view equals the one-run census row for row; dead letters, whose location
 * is a line of the file that held them, are compared by reason and the size of the raw input.
 */
class CensusAcrossRunsITCase {
    @RegisterExtension static final Postgres POSTGRES = new Postgres();

    @TempDir static Path dir;

    private static final List<YearMonth> MONTHS =
            List.of(
                    YearMonth.of(2026, 6),
                    YearMonth.of(2026, 7),
                    YearMonth.of(2026, 8),
                    YearMonth.of(2026, 9),
                    YearMonth.of(2026, 10));

    private static Path archive;
    private static Path asnTable;
    private static String header;
    private static List<String> rows;

    @BeforeAll
    static void archive() throws IOException {
        archive = dir.resolve("five-months.csv");
        try (Writer w = Files.newBufferedWriter(archive)) {
            new SyntheticScan(11, 600, MONTHS).write(w);
        }
        asnTable = dir.resolve("asn.dat");
        Files.writeString(asnTable, SyntheticScan.asnTable());
        List<String> lines = Files.readAllLines(archive);
        int h = 0;
        while (!lines.get(h).startsWith("saddr,")) {
            h++;
        }
        header = lines.get(h);
        rows = lines.subList(h + 1, lines.size());
    }

    @Test
    void duckDbSplitsEqualOneRun() throws Exception {
        check(name -> "duckdb:" + dir.resolve(name + ".duckdb"));
    }

    @Test
    void postgresSplitsEqualOneRun() throws Exception {
        check(name -> POSTGRES.server().createDatabase(name.replace('-', '_')));
    }

    /** A sink for a census of a name. */
    private interface Sinks {
        String of(String name) throws Exception;
    }

    private void check(Sinks sinkOf) throws Exception {
        String one = sinkOf.of("one-run");
        replay(one, List.of(archive));
        Map<String, List<String>> expected = dump(one);
        assertThat(expected.get("census_hosts")).hasSizeGreaterThan(500);
        assertThat(expected.get("census_consistency")).anyMatch(r -> r.contains("consistent=true"));
        assertThat(expected.get("census_overlap")).anyMatch(r -> r.contains("MIGRATION"));

        Map<String, List<Path>> splits = new LinkedHashMap<>();
        List<Path> byMonth = split("month", r -> month(r).toString());
        splits.put("by-month", byMonth);
        List<Path> reverse = new ArrayList<>(byMonth);
        Collections.reverse(reverse);
        splits.put("reverse-months", reverse);
        splits.put("by-host", split("third", r -> "third-" + Math.floorMod(host(r).hashCode(), 3)));
        splits.put("by-days", split("half", r -> month(r) + (day(r) < 15 ? "-first" : "-second")));
        splits.put("same-file-twice", List.of(archive, archive));

        for (Map.Entry<String, List<Path>> s : splits.entrySet()) {
            String sink = sinkOf.of(s.getKey());
            for (Path file : s.getValue()) {
                replay(sink, List.of(file));
            }
            assertThat(dump(sink)).as(s.getKey()).isEqualTo(expected);
        }
    }

    @Test
    void aContinuousJobStartedOverTheCensusContinuesIt() throws Exception {
        String one = POSTGRES.server().createDatabase("continuous_one");
        replay(one, List.of(archive));
        Map<String, List<String>> expected = dump(one);
        // The census holds the first three months of two thirds of the hosts; a watched replay,
        // started without state over it, reads the rest: the other third in the same months, and
        // the later months whose windows and migrations reach back into the census.
        Predicate<String> before =
                r -> month(r).isBefore(MONTHS.get(3)) && Math.floorMod(host(r).hashCode(), 3) != 2;
        Path first = dir.resolve("continuous-first.csv");
        Path rest = dir.resolve("continuous-rest.csv");
        Files.write(first, withHeader(rows.stream().filter(before).toList()));
        Files.write(rest, withHeader(rows.stream().filter(before.negate()).toList()));
        String sink = POSTGRES.server().createDatabase("continuous_split");
        replay(sink, List.of(first));
        assertThat(dump(sink)).isNotEqualTo(expected);

        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Process watch =
                Launcher.start(
                        List.of(
                                "./mpcensus",
                                "replay",
                                "--watch",
                                "200ms",
                                "--input",
                                inbox.toString(),
                                "--sink",
                                sink,
                                "--no-summary",
                                "--asn-table",
                                asnTable.toString()),
                        dir,
                        "watch");
        try {
            Path moving = dir.resolve(".rest.csv");
            Files.copy(rest, moving);
            Files.move(moving, inbox.resolve("rest.csv"), StandardCopyOption.ATOMIC_MOVE);
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            Map<String, List<String>> got = dump(sink);
            while (!got.equals(expected) && System.nanoTime() < deadline) {
                assertThat(watch.isAlive()).as(Files.readString(dir.resolve("watch.err"))).isTrue();
                Thread.sleep(1000);
                got = dump(sink);
            }
            assertThat(got).isEqualTo(expected);
            // Equal to stay: the job has nothing left that would change a row.
            Thread.sleep(3000);
            assertThat(dump(sink)).isEqualTo(expected);
            String said = Files.readString(dir.resolve("watch.err"));
            assertThat(said)
                    .contains("continues the census in 2026-06..2026-08 from the memory of");
            said.lines()
                    .filter(l -> l.contains("continues the census"))
                    .forEach(System.out::println);
        } finally {
            watch.destroy();
            assertThat(Launcher.ended(watch, 60)).isTrue();
        }
        // The first file again changes nothing.
        replay(sink, List.of(first));
        assertThat(dump(sink)).isEqualTo(expected);
    }

    private static List<String> withHeader(List<String> lines) {
        List<String> out = new ArrayList<>(List.of(header));
        out.addAll(lines);
        return out;
    }

    private static Map<String, List<String>> dump(String sink) throws Exception {
        return TableDump.acrossRuns(CensusDatabase.of(sink, null, null));
    }

    private static void replay(String sink, List<Path> files) {
        List<String> line =
                new ArrayList<>(
                        List.of(
                                "replay",
                                "--sink",
                                sink,
                                "--no-summary",
                                "--asn-table",
                                asnTable.toString()));
        for (Path f : files) {
            line.add("--input");
            line.add(f.toString());
        }
        Cli.Run run = Cli.run(line.toArray(new String[0]));
        assertThat(run.exit()).as(run.err()).isZero();
    }

    /** Writes the rows into one file per group, in the order groups first appear. */
    private static List<Path> split(String name, Function<String, String> groupOf)
            throws IOException {
        Map<String, List<String>> groups = new TreeMap<>();
        for (String r : rows) {
            groups.computeIfAbsent(groupOf.apply(r), g -> new ArrayList<>(List.of(header))).add(r);
        }
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, List<String>> g : groups.entrySet()) {
            Path f = dir.resolve(name + "-" + g.getKey() + ".csv");
            Files.write(f, g.getValue());
            files.add(f);
        }
        return files;
    }

    private static String host(String row) {
        return row.substring(0, row.indexOf(','));
    }

    private static Instant time(String row) {
        String[] f = row.split(",", -1);
        return Instant.ofEpochSecond(Long.parseLong(f[11]));
    }

    private static YearMonth month(String row) {
        return YearMonth.from(time(row).atZone(ZoneOffset.UTC));
    }

    private static int day(String row) {
        return time(row).atZone(ZoneOffset.UTC).getDayOfMonth();
    }
}
