package org.mpcensus.job.sink;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.SimpleCounter;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.mpcensus.job.schema.CensusTable;
import org.mpcensus.job.schema.ColumnType;

/**
 * Upserts rows into one table of an embedded DuckDB file. Binding statement parameters costs a
 * native call per value, so the writer keeps only the latest row per primary key and writes a batch
 * through DuckDB's appender into a temporary staging table of the connection, then with one {@code
 * INSERT ... SELECT ... ON CONFLICT DO UPDATE} (and one {@code DELETE ... USING} for rows that are
 * gone), in one transaction: when the batch is full, after the batch interval, at every checkpoint
 * and at the end of input. Run with parallelism 1 (DuckDB allows one writing process per file; in
 * one JVM, connections share it). The writer runs on the sink's task thread, timers included.
 *
 * @param <T> the row type
 */
public final class DuckDbUpsertSink<T> implements Sink<T> {
    private final CensusDatabase database;
    private final CensusTable<T> table;
    private final int batchSize;
    private final long intervalMillis;

    public DuckDbUpsertSink(
            CensusDatabase database, CensusTable<T> table, int batchSize, Duration interval) {
        this.database = database;
        this.table = table;
        this.batchSize = batchSize;
        this.intervalMillis = interval.toMillis();
    }

    /**
     * Batches written like this sink's own (staging table, one transaction each), on one
     * connection, for {@link CommittedUpsertSink}.
     */
    public static <T> CommittedUpsertSink.Batches<T> batches(
            CensusDatabase database, CensusTable<T> table) {
        return () -> {
            Writer<T> w;
            try {
                w =
                        new Writer<>(
                                database.connect(),
                                table,
                                Integer.MAX_VALUE,
                                0,
                                null,
                                new SimpleCounter());
            } catch (SQLException e) {
                throw new IOException("cannot open " + database + ": " + e.getMessage(), e);
            }
            return new CommittedUpsertSink.BatchWriter<T>() {
                @Override
                public void write(List<T> batch) throws IOException {
                    for (T row : batch) {
                        w.write(row, null);
                    }
                    w.flush(false);
                }

                @Override
                public void close() throws Exception {
                    w.close();
                }
            };
        };
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        try {
            return new Writer<>(
                    database.connect(),
                    table,
                    batchSize,
                    intervalMillis,
                    context.getProcessingTimeService(),
                    context.metricGroup().getIOMetricGroup().getNumRecordsOutCounter());
        } catch (SQLException e) {
            throw new IOException("cannot open " + database + ": " + e.getMessage(), e);
        }
    }

    private static final class Writer<T> implements SinkWriter<T> {
        private final Connection connection;
        private final CensusTable<T> table;
        private final int batchSize;
        private final long intervalMillis;
        private final ProcessingTimeService time;
        private final Counter written;
        private final Map<Object, T> pending = new LinkedHashMap<>();

        /** The connection's staging table. */
        private final String stage;

        private boolean timerSet;

        Writer(
                Connection connection,
                CensusTable<T> table,
                int batchSize,
                long intervalMillis,
                ProcessingTimeService time,
                Counter written)
                throws SQLException {
            this.connection = connection;
            this.table = table;
            this.batchSize = batchSize;
            this.intervalMillis = intervalMillis;
            this.time = time;
            this.written = written;
            this.stage = "mpcensus_stage_" + table.name();
            try (var s = connection.createStatement()) {
                s.execute(
                        "CREATE OR REPLACE TEMP TABLE "
                                + stage
                                + " AS SELECT * FROM "
                                + table.name()
                                + " LIMIT 0");
            }
            connection.setAutoCommit(false);
        }

        @Override
        public void write(T row, Context context) throws IOException {
            // Insertion order is kept for a key's first row; only its latest value matters.
            pending.put(table.keyOf(row), row);
            if (pending.size() >= batchSize) {
                writePending();
            } else if (!timerSet && intervalMillis > 0) {
                timerSet = true;
                time.registerTimer(
                        time.getCurrentProcessingTime() + intervalMillis,
                        t -> {
                            timerSet = false;
                            writePending();
                        });
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            writePending();
        }

        private void writePending() throws IOException {
            if (pending.isEmpty()) {
                return;
            }
            List<T> rows = new ArrayList<>();
            List<T> gone = new ArrayList<>();
            for (T row : pending.values()) {
                (table.gone(row) ? gone : rows).add(row);
            }
            try {
                stage(rows, false);
                stage(gone, true);
                connection.commit();
            } catch (SQLException e) {
                try {
                    connection.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw new IOException(
                        "writing "
                                + rows.size()
                                + " rows to "
                                + table.name()
                                + " failed: "
                                + e.getMessage(),
                        e);
            }
            written.inc(rows.size() + gone.size());
            pending.clear();
        }

        /** Upserts (or deletes) rows through the staging table. */
        private void stage(List<T> rows, boolean delete) throws SQLException {
            if (rows.isEmpty()) {
                return;
            }
            try (DuckDBAppender a =
                    connection
                            .unwrap(DuckDBConnection.class)
                            .createAppender("temp", "main", stage)) {
                for (T row : rows) {
                    a.beginRow();
                    Object[] values = table.valuesOf(row);
                    for (int c = 0; c < values.length; c++) {
                        append(a, table.columns().get(c).type(), values[c]);
                    }
                    a.endRow();
                }
            }
            try (var s = connection.createStatement()) {
                s.execute(delete ? table.deleteFrom(stage) : table.upsertFrom(stage));
                s.execute("DELETE FROM " + stage);
            }
        }

        /** DuckDB's appender call for a value of a column type. */
        private static void append(DuckDBAppender a, ColumnType type, Object v)
                throws SQLException {
            if (v == null) {
                a.appendNull();
                return;
            }
            switch (type) {
                case SMALLINT -> a.append((short) (Short) v);
                case INTEGER -> a.append((int) (Integer) v);
                case BIGINT -> a.append((long) (Long) v);
                case DOUBLE -> a.append((double) (Double) v);
                case BOOLEAN -> a.append((boolean) (Boolean) v);
                case TEXT -> a.append((String) v);
                case TIMESTAMP -> a.append((java.time.LocalDateTime) v);
                case BYTES -> a.append((byte[]) v);
            }
        }

        @Override
        public void close() throws Exception {
            connection.close();
        }
    }
}
