package org.mpcensus.job.sink;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.mpcensus.job.schema.CensusSchema;
import org.mpcensus.job.schema.CensusTable;

/**
 * A PostgreSQL census's staging: a copy of the tables in a schema of the run's own ({@code
 * mpcensus_run_ID}), published by replacing every table's rows in one transaction (readers see the
 * old rows until it commits); the lock is an advisory lock held by a session for the run.
 */
final class PostgresStaging extends Staging {
    static final String STAGE_PREFIX = "mpcensus_run_";

    private Connection session;
    private String schema;
    private String stage;

    PostgresStaging(CensusDatabase target) {
        super(target);
    }

    @Override
    void lock() throws CensusRun.Refused {
        session = connect(target);
        try (Statement s = session.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT pg_try_advisory_lock(hashtext('mpcensus:' || current_schema()))")) {
            r.next();
            if (!r.getBoolean(1)) {
                throw new CensusRun.Refused(
                        "another mpcensus run is writing to "
                                + target
                                + "; wait for it or stop it");
            }
        } catch (SQLException e) {
            close();
            throw new CensusRun.Refused(
                    "cannot lock the census in " + target + ": " + firstLine(e.getMessage()));
        } catch (CensusRun.Refused e) {
            close();
            throw e;
        }
    }

    @Override
    CensusDatabase stage(String runId, boolean resume) throws CensusRun.Refused, IOException {
        try {
            schema = currentSchema(session);
            createSchema(target);
            stage = STAGE_PREFIX + runId.toLowerCase().replace('-', '_');
            if (!resume) {
                dropStaleSchemas();
            }
            boolean exists = schemaExists(stage);
            if (resume && !exists) {
                throw new CensusRun.Refused(
                        "the tables staged by the interrupted run (schema "
                                + stage
                                + ") are gone: run again without --resume");
            }
            if (!exists) {
                copyTables(session, schema, stage, true);
            }
        } catch (SQLException e) {
            throw new IOException("PostgreSQL at " + target + ": " + e.getMessage(), e);
        }
        String url =
                target.jdbcUrl()
                        + (target.jdbcUrl().contains("?") ? "&" : "?")
                        + "currentSchema="
                        + stage;
        return new CensusDatabase(target.dialect(), url, target.user(), target.password());
    }

    @Override
    void publish() throws IOException {
        try (Connection c = connect(target);
                Statement s = c.createStatement()) {
            copyTables(c, stage, schema, false);
            s.execute("DROP SCHEMA " + stage + " CASCADE");
        } catch (SQLException | CensusRun.Refused e) {
            throw new IOException("could not publish the run's results: " + e.getMessage(), e);
        }
    }

    @Override
    void discard() {
        if (stage == null) {
            return;
        }
        try (Connection c = connect(target);
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + stage + " CASCADE");
        } catch (SQLException | CensusRun.Refused e) {
            // left for the next run to discard
        }
    }

    @Override
    public void close() {
        if (session != null) {
            try {
                session.close();
            } catch (SQLException e) {
                // the lock goes with the session
            }
            session = null;
        }
    }

    /**
     * Copies every table's rows from one schema to another in one transaction: into new tables like
     * the census's ({@code create}), or replacing the rows of the existing ones.
     */
    private static void copyTables(Connection c, String from, String to, boolean create)
            throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            if (create) {
                s.execute("CREATE SCHEMA " + to);
            }
            for (CensusTable<?> t : CensusSchema.withRuns()) {
                if (create) {
                    s.execute(
                            "CREATE TABLE "
                                    + to
                                    + "."
                                    + t.name()
                                    + " (LIKE "
                                    + from
                                    + "."
                                    + t.name()
                                    + " INCLUDING ALL)");
                } else {
                    s.execute("DELETE FROM " + to + "." + t.name());
                }
                s.execute(
                        "INSERT INTO "
                                + to
                                + "."
                                + t.name()
                                + " SELECT * FROM "
                                + from
                                + "."
                                + t.name());
            }
            c.commit();
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Connects to the census, or says what to check. */
    static Connection connect(CensusDatabase db) throws CensusRun.Refused {
        try {
            return db.connect();
        } catch (SQLException e) {
            throw new CensusRun.Refused(
                    "cannot connect to PostgreSQL at "
                            + db
                            + ": "
                            + firstLine(e.getMessage())
                            + " (is it running? are MPCENSUS_DB_USER/MPCENSUS_DB_PASSWORD set?)");
        }
    }

    private static String currentSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT current_schema()")) {
            r.next();
            String schema = r.getString(1);
            if (schema == null) {
                throw new SQLException("the connection has no schema to write into (search_path)");
            }
            return schema;
        }
    }

    private boolean schemaExists(String name) throws SQLException {
        try (PreparedStatement ps =
                session.prepareStatement(
                        "SELECT 1 FROM information_schema.schemata WHERE schema_name = ?")) {
            ps.setString(1, name);
            try (ResultSet r = ps.executeQuery()) {
                return r.next();
            }
        }
    }

    private void dropStaleSchemas() throws SQLException {
        List<String> stale = new ArrayList<>();
        try (Statement s = session.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT schema_name FROM information_schema.schemata WHERE"
                                        + " schema_name LIKE '"
                                        + STAGE_PREFIX
                                        + "%'")) {
            while (r.next()) {
                stale.add(r.getString(1));
            }
        }
        try (Statement s = session.createStatement()) {
            for (String name : stale) {
                s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            }
        }
    }
}
