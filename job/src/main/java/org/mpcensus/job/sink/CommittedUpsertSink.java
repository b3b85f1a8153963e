package org.mpcensus.job.sink;

import java.io.IOException;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.mpcensus.job.schema.CensusTable;

/**
 * Writes a census table of a checkpointed job exactly once. A writer keeps the latest row per key
 * until a checkpoint's barrier and hands those rows over as the checkpoint's committable; once the
 * checkpoint completes, the committer writes them (upserts, and deletes of rows that are gone) in
 * one transaction. Rows of an attempt that fails before its checkpoint completes never reach the
 * table, which upserts alone cannot promise: a restored attempt, its events in another order, need
 * not write again a row that was, for a moment, 1. A committable is retried after a restore, which
 * upserts of absolute values make harmless. The writer runs in the task thread of its operator, the
 * committer in the committer operator's.
 *
 * @param <T> the row type
 */
public final class CommittedUpsertSink<T> implements Sink<T>, SupportsCommitter<List<T>> {
    private final CensusTable<T> table;
    private final Batches<T> batches;
    private final TypeSerializer<T> rows;

    /** Writes one batch of rows in one transaction. */
    public interface BatchWriter<T> extends AutoCloseable {
        void write(List<T> batch) throws IOException;

        @Override
        default void close() throws Exception {}
    }

    /** Opens a batch writer; travels with the job. */
    public interface Batches<T> extends Serializable {
        BatchWriter<T> open() throws IOException;
    }

    /**
     * @param batches how batches are written (a DuckDB file and a PostgreSQL server differ)
     * @param rows the serializer of the rows, for the committables kept in checkpoints
     */
    public CommittedUpsertSink(CensusTable<T> table, Batches<T> batches, TypeSerializer<T> rows) {
        this.table = table;
        this.batches = batches;
        this.rows = rows;
    }

    /** Batches written with a JDBC statement per row (in one JDBC batch), for PostgreSQL. */
    public static <T> Batches<T> statements(CensusDatabase database, CensusTable<T> table) {
        return () -> batch -> write(database, table, batch);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new Writer<>(table);
    }

    @Override
    public Committer<List<T>> createCommitter(CommitterInitContext context) {
        return new TableCommitter<>(table, batches);
    }

    @Override
    public SimpleVersionedSerializer<List<T>> getCommittableSerializer() {
        return new RowsSerializer<>(rows);
    }

    /** Keeps the latest row per key between checkpoints. */
    private static final class Writer<T> implements CommittingSinkWriter<T, List<T>> {
        private final CensusTable<T> table;
        private final Map<Object, T> pending = new LinkedHashMap<>();

        Writer(CensusTable<T> table) {
            this.table = table;
        }

        @Override
        public void write(T row, Context context) {
            pending.put(table.keyOf(row), row);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public Collection<List<T>> prepareCommit() {
            if (pending.isEmpty()) {
                return List.of();
            }
            List<T> batch = new ArrayList<>(pending.values());
            pending.clear();
            return List.of(batch);
        }

        @Override
        public void close() {}
    }

    /** Writes the rows of completed checkpoints, in checkpoint order. */
    private static final class TableCommitter<T> implements Committer<List<T>> {
        private final CensusTable<T> table;
        private final Batches<T> batches;
        private BatchWriter<T> writer;

        TableCommitter(CensusTable<T> table, Batches<T> batches) {
            this.table = table;
            this.batches = batches;
        }

        @Override
        public void commit(Collection<CommitRequest<List<T>>> requests) throws IOException {
            for (CommitRequest<List<T>> request : requests) {
                try {
                    if (writer == null) {
                        writer = batches.open();
                    }
                    writer.write(request.getCommittable());
                } catch (IOException e) {
                    // The job restarts and the committable, kept in its checkpoint, is retried.
                    request.signalFailedWithKnownReason(
                            new IOException(
                                    "writing "
                                            + request.getCommittable().size()
                                            + " rows to "
                                            + table.name()
                                            + " failed: "
                                            + e.getMessage(),
                                    e));
                }
            }
        }

        @Override
        public void close() throws Exception {
            if (writer != null) {
                writer.close();
            }
        }
    }

    private static <T> void write(CensusDatabase database, CensusTable<T> table, List<T> batch)
            throws IOException {
        try (Connection c = database.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement upsert = c.prepareStatement(table.upsert(1));
                    PreparedStatement delete =
                            table.deletes() ? c.prepareStatement(table.delete(1)) : null) {
                for (T row : batch) {
                    boolean gone = table.gone(row);
                    PreparedStatement s = gone ? delete : upsert;
                    table.bind(s, 1, row);
                    s.addBatch();
                }
                upsert.executeBatch();
                if (delete != null) {
                    delete.executeBatch();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Committables in checkpoints: the rows, each with the rows' own serializer. */
    private static final class RowsSerializer<T> implements SimpleVersionedSerializer<List<T>> {
        private static final int VERSION = 1;
        private final TypeSerializer<T> rows;

        RowsSerializer(TypeSerializer<T> rows) {
            this.rows = rows;
        }

        @Override
        public int getVersion() {
            return VERSION;
        }

        @Override
        public byte[] serialize(List<T> batch) throws IOException {
            TypeSerializer<T> s = rows.duplicate();
            DataOutputSerializer out = new DataOutputSerializer(256 * batch.size() + 4);
            out.writeInt(batch.size());
            for (T row : batch) {
                s.serialize(row, out);
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public List<T> deserialize(int version, byte[] bytes) throws IOException {
            if (version != VERSION) {
                throw new IOException("unknown version " + version + " of committed rows");
            }
            TypeSerializer<T> s = rows.duplicate();
            DataInputDeserializer in = new DataInputDeserializer(bytes);
            int n = in.readInt();
            List<T> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                batch.add(s.deserialize(in));
            }
            return batch;
        }
    }
}
