package org.mpcensus.job.sink;

import java.io.IOException;
import java.sql.SQLException;

/**
 * Where a bounded run writes before it commits, and the census's writer lock: one kind per
 * database. A run {@link #lock}s the census, {@link #stage}s a copy, and either {@link #publish}es
 * it (the census replaced in one step) or {@link #discard}s it; {@link #close} releases the lock.
 */
abstract sealed class Staging implements AutoCloseable permits DuckDbStaging, PostgresStaging {
    final CensusDatabase target;

    Staging(CensusDatabase target) {
        this.target = target;
    }

    /** The staging of a census's database kind. */
    static Staging of(CensusDatabase target) {
        return target.dialect() == CensusDatabase.Dialect.DUCKDB
                ? new DuckDbStaging(target)
                : new PostgresStaging(target);
    }

    /**
     * Takes the census's writer lock (the one every run holds).
     *
     * @throws CensusRun.Refused when another run or writer holds it, or the census is unreachable
     */
    abstract void lock() throws CensusRun.Refused, IOException;

    /**
     * Checks, under the lock, that the census itself can be written by this process.
     *
     * @param mayBeAbsent whether a census that does not exist yet is fine (a run creates it)
     */
    void check(boolean mayBeAbsent) throws CensusRun.Refused {}

    /**
     * Stages a copy of the census for a run, with every table, or finds the one an interrupted run
     * left when resuming it.
     *
     * @return the staged copy, which the run's job writes
     * @throws CensusRun.Refused when the copy to resume is gone
     */
    abstract CensusDatabase stage(String runId, boolean resume)
            throws CensusRun.Refused, IOException;

    /** Replaces the census by the staged copy, in one step. */
    abstract void publish() throws IOException;

    /** Removes the staged copy (what cannot be removed now, the next run discards). */
    abstract void discard();

    /** Releases the lock. */
    @Override
    public abstract void close();

    /** Creates the census tables where missing. */
    static void createSchema(CensusDatabase db) throws IOException {
        try {
            db.createSchema();
        } catch (SQLException e) {
            throw new IOException(
                    "could not create the census tables in " + db + ": " + e.getMessage(), e);
        }
    }

    static String firstLine(String m) {
        if (m == null) {
            return "no message";
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
