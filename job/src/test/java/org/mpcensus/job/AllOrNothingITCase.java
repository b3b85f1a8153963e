package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.testing.Cli;
import org.mpcensus.job.testing.Launcher;
import org.mpcensus.job.testing.Postgres;
import org.mpcensus.job.testing.Replays;
import org.mpcensus.job.testing.TableDump;

/**
 * A replay into a complete census that fails midway (the process killed with {@code kill -9}, or
 * stopped with SIGTERM) leaves the census exactly as it was: the DuckDB file byte for byte, every
 * PostgreSQL table row for row, no {@code census_runs} row; a rerun then completes it, with the
 * tables of two replays that were never interrupted.
 */
class AllOrNothingITCase {
    @RegisterExtension static final Postgres POSTGRES = new Postgres();

    @TempDir Path dir;

    List<String> replay(Path input, String sink) {
        return Launcher.replay(input, sink, "--asn-table", Replays.sampleAsnTable().toString());
    }

    void complete(Path input, String sink, String name) throws Exception {
        Process p = Launcher.start(replay(input, sink), dir, name);
        assertThat(Launcher.ended(p, 300)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve(name + ".err"))).isZero();
    }

    /** Starts a replay and kills it (signal 9, or 15) once {@code midway} holds. */
    void interrupt(Path input, String sink, BooleanSupplier midway, boolean kill9)
            throws Exception {
        Process p = Launcher.start(replay(input, sink), dir, "interrupted");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!midway.getAsBoolean()) {
            assertThat(p.isAlive())
                    .as(
                            "the replay ended before it was midway: "
                                    + Files.readString(dir.resolve("interrupted.err")))
                    .isTrue();
            assertThat(System.nanoTime()).as("midway within three minutes").isLessThan(deadline);
            Thread.sleep(20);
        }
        if (kill9) {
            p.destroyForcibly();
        } else {
            // As Ctrl-C or a service manager stops it: SIGINT.
            assertThat(new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor())
                    .isZero();
        }
        assertThat(Launcher.ended(p, 60)).isTrue();
        assertThat(p.exitValue()).isNotZero();
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** The staged copies beside a census file: their directories and the files in them. */
    static List<Path> staged(Path census) throws Exception {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s =
                Files.newDirectoryStream(census.getParent(), census.getFileName() + ".run-*")) {
            for (Path d : s) {
                out.add(d);
                try (DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
                    files.forEach(out::add);
                }
            }
        }
        return out;
    }

    static long count(CensusDatabase db, String sql) throws Exception {
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void duckDbFileIsByteIdenticalAfterAKilledOrStoppedRunAndARerunCompletesIt() throws Exception {
        Path archive = dir.resolve("scan.csv");
        Replays.synthetic(archive, 31, 30_000);
        Path census = dir.resolve("census.duckdb");
        String sink = "duckdb:" + census;
        complete(Replays.sample(), sink, "first");
        String before = sha256(census);
        CensusDatabase db = CensusDatabase.of(sink, null, null);
        Map<String, List<String>> tables = TableDump.of(db);

        for (boolean kill9 : new boolean[] {true, false}) {
            // Midway: this run's staged copy has rows in its write-ahead log (a killed run's
            // copy stays until the next run starts).
            List<Path> earlier = staged(census);
            interrupt(
                    archive,
                    sink,
                    () -> {
                        try {
                            return staged(census).stream()
                                    .anyMatch(
                                            p ->
                                                    !earlier.contains(p)
                                                            && p.toString().endsWith(".wal")
                                                            && p.toFile().length() > 100_000);
                        } catch (Exception e) {
                            return false;
                        }
                    },
                    kill9);
            assertThat(sha256(census)).as("kill -9: " + kill9).isEqualTo(before);
            if (!kill9) {
                assertThat(staged(census)).as("SIGTERM removes the staged copy").isEmpty();
            }
        }
        assertThat(TableDump.of(db)).isEqualTo(tables);
        assertThat(count(db, "SELECT COUNT(*) FROM census_runs")).isEqualTo(1);

        complete(archive, sink, "rerun");
        assertThat(staged(census)).isEmpty();
        assertHoldsTwoUninterruptedReplays(db, archive);
    }

    @Test
    void postgresTablesAreUnchangedAfterAKilledRunAndARerunCompletesThem() throws Exception {
        Path archive = dir.resolve("scan.csv");
        Replays.synthetic(archive, 37, 30_000);
        String sink = POSTGRES.server().createDatabase("all_or_nothing");
        complete(Replays.sample(), sink, "first");
        CensusDatabase db = CensusDatabase.of(sink, null, null);
        Map<String, List<String>> tables = TableDump.of(db);
        long hosts = count(db, "SELECT COUNT(*) FROM census_hosts");

        interrupt(
                archive,
                sink,
                () -> {
                    try {
                        return count(
                                        db,
                                        "SELECT COALESCE(SUM(n_live_tup), 0) FROM pg_stat_user_tables"
                                                + " WHERE schemaname LIKE 'mpcensus_run_%' AND relname = 'census_hosts'")
                                > hosts + 1000;
                    } catch (Exception e) {
                        return false;
                    }
                },
                true);
        assertThat(TableDump.of(db)).isEqualTo(tables);
        assertThat(count(db, "SELECT COUNT(*) FROM census_runs")).isEqualTo(1);

        complete(archive, sink, "rerun");
        assertThat(
                        count(
                                db,
                                "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name LIKE 'mpcensus_run_%'"))
                .as("the rerun discarded the killed run's stage and dropped its own")
                .isZero();
        assertHoldsTwoUninterruptedReplays(db, archive);
    }

    /**
     * The census holds what the sample and then {@code archive}, replayed by two runs that were
     * never interrupted, give.
     */
    void assertHoldsTwoUninterruptedReplays(CensusDatabase db, Path archive) throws Exception {
        Path direct = dir.resolve("direct.duckdb");
        for (Path input : List.of(Replays.sample(), archive)) {
            List<String> line = new java.util.ArrayList<>(replay(input, "duckdb:" + direct));
            line.remove(0);
            Cli.Run run = Cli.run(line.toArray(new String[0]));
            assertThat(run.exit()).as(run.err()).isZero();
        }
        assertThat(TableDump.of(db))
                .isEqualTo(TableDump.of(CensusDatabase.of("duckdb:" + direct, null, null)));
        assertThat(count(db, "SELECT COUNT(*) FROM census_runs WHERE status = 'complete'"))
                .isEqualTo(2);
    }
}
