package org.mpcensus.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.job.testing.Postgres;
import org.mpcensus.job.testing.TableDump;

/**
 * The census's views answer from everything it holds, the same in DuckDB and PostgreSQL: path
 * counts take a host's AS and final classification from the census (a {@code TRULY_CAPABLE} path of
 * a host later found {@code SUSPECT_KEY} is not truly capable; a host verified from a list after a
 * scan counts under the scan's AS); true support needs a truly capable host that was consistent. A
 * census written before the views existed has a table of the same name, which becomes the view.
 */
class CensusViewsITCase {
    @RegisterExtension static final Postgres POSTGRES = new Postgres();

    @TempDir Path dir;

    @Test
    void duckDbViewsAnswerFromTheWholeCensus() throws Exception {
        check(CensusDatabase.of("duckdb:" + dir.resolve("views.duckdb"), null, null));
    }

    @Test
    void postgresViewsAnswerFromTheWholeCensus() throws Exception {
        check(CensusDatabase.of(POSTGRES.server().createDatabase("census_views"), null, null));
    }

    private static void check(CensusDatabase db) throws Exception {
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            // What an earlier version of mpcensus left: path counts as a table of its own.
            s.execute(
                    "CREATE TABLE census_path_counts (month VARCHAR(7), ip_version SMALLINT, port"
                            + " INTEGER, probed_version SMALLINT, asn BIGINT, category"
                            + " VARCHAR(24), hosts BIGINT)");
            s.execute(
                    "INSERT INTO census_path_counts VALUES ('2026-10', 4, 443, 1, 1, 'STALE', 9)");
        }
        db.createSchema();
        // Twice, as every run does: the views are replaced, not duplicated.
        db.createSchema();
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            // A: found CANDIDATE, path clean, consistent. B: path clean, but its key was another
            // address's (SUSPECT_KEY). C: verified from a list, never scanned. D: scanned as a
            // CANDIDATE, then verified from a list (AS 0, LISTED), not consistent. E: mirrored.
            // F: a v0 host answering a v1 probe: its path is clean, it is no v1 candidate.
            host(s, "198.18.1.1", 64500, "CANDIDATE");
            host(s, "198.18.7.1", 64501, "SUSPECT_KEY");
            host(s, "198.18.1.2", 64500, "CANDIDATE");
            host(s, "198.18.3.1", 64502, "MIRRORED");
            host(s, "198.18.5.1", 64503, "WRONG_VERSION");
            path(s, "198.18.1.1", 64500, "CANDIDATE", "TRULY_CAPABLE");
            path(s, "198.18.7.1", 64501, "CANDIDATE", "TRULY_CAPABLE");
            path(s, "198.18.2.1", 0, "LISTED", "TRULY_CAPABLE");
            path(s, "198.18.1.2", 0, "LISTED", "TRULY_CAPABLE");
            path(s, "198.18.3.1", 64502, "MIRRORED", "MIDDLEBOX_AFFECTED");
            path(s, "198.18.5.1", 64503, "WRONG_VERSION", "TRULY_CAPABLE");
            consistency(s, "198.18.1.1", true);
            consistency(s, "198.18.1.2", false);
        }

        assertThat(
                        TableDump.rows(
                                db,
                                "SELECT asn, category, hosts FROM census_path_counts"
                                        + " ORDER BY asn, category"))
                .containsExactly(
                        "0 TRULY_CAPABLE 1",
                        "64500 TRULY_CAPABLE 2",
                        "64501 MIDDLEBOX_AFFECTED 1",
                        "64502 MIDDLEBOX_AFFECTED 1",
                        "64503 TRULY_CAPABLE 1");
        assertThat(
                        TableDump.rows(
                                db,
                                "SELECT host, asn, consistent FROM census_truly_capable"
                                        + " ORDER BY host"))
                .containsExactly("198.18.1.1 64500 true", "198.18.1.2 64500 false");
        assertThat(TableDump.rows(db, "SELECT host, asn, month FROM census_true_support"))
                .containsExactly("198.18.1.1 64500 2026-10");
    }

    private static void host(Statement s, String host, long asn, String classification)
            throws Exception {
        s.execute(
                "INSERT INTO census_hosts (month, host, port, probed_version, ip_version, asn,"
                        + " classification, replies, first_seen, last_seen, duplicate_key) VALUES"
                        + " ('2026-10', '"
                        + host
                        + "', 443, 1, 4, "
                        + asn
                        + ", '"
                        + classification
                        + "', 1, TIMESTAMP '2026-10-02 00:00:00', TIMESTAMP '2026-10-02"
                        + " 00:00:00', FALSE)");
    }

    private static void path(
            Statement s, String host, long asn, String classification, String category)
            throws Exception {
        s.execute(
                "INSERT INTO census_paths (month, host, port, probed_version, ip_version, asn,"
                        + " classification, category, hops_answered, answer, quote_lengths,"
                        + " first_seen, last_seen) VALUES ('2026-10', '"
                        + host
                        + "', 443, 1, 4, "
                        + asn
                        + ", '"
                        + classification
                        + "', '"
                        + category
                        + "', 3, 'SYN_ACK', '60 60 60', TIMESTAMP '2026-10-03 00:00:00',"
                        + " TIMESTAMP '2026-10-03 00:00:00')");
    }

    private static void consistency(Statement s, String host, boolean consistent) throws Exception {
        s.execute(
                "INSERT INTO census_consistency (month, host, port, probed_version, ip_version,"
                        + " asn, candidate, candidate_months, window_months, consistent,"
                        + " is_transient) VALUES ('2026-10', '"
                        + host
                        + "', 443, 1, 4, 64500, TRUE, "
                        + (consistent ? 3 : 1)
                        + ", 3, "
                        + consistent
                        + ", FALSE)");
    }
}
