package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.testing.Cli;
import org.mpcensus.job.testing.Postgres;
import org.mpcensus.job.testing.Replays;
import org.mpcensus.job.testing.TableDump;

/**
 * The same input twice changes nothing: a replay skips each file whose content the census holds
 * (whatever its name, and a second copy given in the same command), one line each on stderr, and
 * {@code --reapply} reads it again; the census records every file it read in {@code census_inputs},
 * the same in DuckDB and PostgreSQL.
 */
class InputLedgerITCase {
    @RegisterExtension static final Postgres POSTGRES = new Postgres();

    @TempDir Path dir;

    @Test
    void duckDbSkipsWhatTheCensusHolds() throws Exception {
        check("duckdb:" + dir.resolve("census.duckdb"));
    }

    @Test
    void postgresSkipsWhatTheCensusHolds() throws Exception {
        check(POSTGRES.server().createDatabase("ledger"));
    }

    private void check(String sink) throws Exception {
        Path sample = Files.copy(Replays.sample(), dir.resolve("scan-2026.csv"));
        Path copy = Files.copy(sample, dir.resolve("same-scan-renamed.csv"));
        CensusDatabase db = CensusDatabase.of(sink, null, null);

        Cli.Run first = replay(sink, sample.toString());
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.err()).doesNotContain("skipped");
        if (sink.startsWith("duckdb:")) {
            // A run that ended leaves no lock file beside the census.
            assertThat(Path.of(sink.substring("duckdb:".length()) + ".lock")).doesNotExist();
        }
        Map<String, List<String>> once = TableDump.of(db);
        assertThat(rows(db, "SELECT path, bytes FROM census_inputs"))
                .containsExactly(sample + " " + Files.size(sample));

        // The same content under two names, one of them already read: both skipped.
        Cli.Run again = replay(sink, sample.toString(), copy.toString());
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.err().lines().filter(l -> l.contains("skipped")).toList())
                .containsExactly(
                        "mpcensus replay: skipped "
                                + sample
                                + ": the census holds its content already (read as "
                                + sample
                                + " by run "
                                + runIds(db).get(0)
                                + "); --reapply reads it again",
                        "mpcensus replay: skipped "
                                + copy
                                + ": the census holds its content already (read as "
                                + sample
                                + " by run "
                                + runIds(db).get(0)
                                + "); --reapply reads it again");
        assertThat(TableDump.of(db)).isEqualTo(once);
        assertThat(rows(db, "SELECT replies FROM census_runs ORDER BY started"))
                .containsExactly("4340", "0");

        // Two names of new content in one command: the content is read once.
        Path other = dir.resolve("other.csv");
        List<String> lines = Files.readAllLines(sample);
        Files.write(other, lines.subList(0, 101));
        Path otherCopy = Files.copy(other, dir.resolve("other-copy.csv"));
        Cli.Run two = replay(sink, other.toString(), otherCopy.toString());
        assertThat(two.exit()).as(two.err()).isZero();
        assertThat(two.err())
                .contains(
                        "mpcensus replay: skipped " + otherCopy + ": the same content as " + other);
        assertThat(rows(db, "SELECT path FROM census_inputs ORDER BY path"))
                .containsExactly(other.toString(), sample.toString());

        // --reapply reads it again and records the run that did.
        Cli.Run reapplied = replay(sink, "--reapply", sample.toString());
        assertThat(reapplied.exit()).as(reapplied.err()).isZero();
        assertThat(reapplied.err()).doesNotContain("skipped");
        List<String> ids = runIds(db);
        assertThat(rows(db, "SELECT run_id FROM census_inputs WHERE path = '" + sample + "'"))
                .containsExactly(ids.get(ids.size() - 1));
    }

    private static List<String> runIds(CensusDatabase db) throws Exception {
        return rows(db, "SELECT run_id FROM census_runs ORDER BY started");
    }

    private static Cli.Run replay(String sink, String... args) {
        List<String> line = new ArrayList<>(List.of("replay", "--sink", sink, "--no-summary"));
        line.add("--asn-table");
        line.add(Replays.sampleAsnTable().toString());
        boolean reapply = args[0].equals("--reapply");
        line.add("--input");
        line.addAll(List.of(args).subList(reapply ? 1 : 0, args.length));
        if (reapply) {
            line.add("--reapply");
        }
        return Cli.run(line.toArray(new String[0]));
    }

    private static List<String> rows(CensusDatabase db, String sql) throws Exception {
        return TableDump.rows(db, sql);
    }
}
