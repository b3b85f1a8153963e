package org.mpcensus.job.output;

import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.mpcensus.job.schema.CensusTable;
import org.mpcensus.job.schema.CensusTables;

/**
 * Where a census job writes its tables: a database (DuckDB or PostgreSQL), upsert topics, or in
 * tests a collection. A job takes a list of outputs; each is prepared before the job starts (tables
 * created, for instance) and gets every table's stream.
 */
public interface CensusOutput {

    /** Readies what the output writes into, before the job starts; nothing by default. */
    default void prepare() throws Exception {}

    /** Writes one table's rows. */
    <T> void write(CensusTable<T> table, DataStream<T> rows);

    /** Writes every census table. */
    default void writeAll(CensusStreams census) {
        write(CensusTables.COUNTS, census.counts());
        write(CensusTables.HOSTS, census.hosts());
        write(CensusTables.DEAD_LETTERS, census.deadLetters());
        write(CensusTables.CONSISTENCY, census.consistency());
        write(CensusTables.KEY_TESTS, census.keyTests());
        write(CensusTables.OVERLAP, census.overlap());
    }

    /** Prepares every output, in order. */
    static void prepareAll(List<? extends CensusOutput> outputs) throws Exception {
        for (CensusOutput o : outputs) {
            o.prepare();
        }
    }

    /** Writes one table's rows to every output. */
    static <T> void writeAll(
            List<? extends CensusOutput> outputs, CensusTable<T> table, DataStream<T> rows) {
        for (CensusOutput o : outputs) {
            o.write(table, rows);
        }
    }

    /** Writes every census table to every output. */
    static void writeAll(List<? extends CensusOutput> outputs, CensusStreams census) {
        for (CensusOutput o : outputs) {
            o.writeAll(census);
        }
    }
}
