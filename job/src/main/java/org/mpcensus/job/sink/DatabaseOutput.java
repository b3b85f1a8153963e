package org.mpcensus.job.sink;

import java.time.Duration;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSinkBuilder;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.mpcensus.job.output.CensusOutput;
import org.mpcensus.job.output.CensusStreams;
import org.mpcensus.job.schema.CensusTable;
import org.mpcensus.job.schema.LedgerTables;
import org.mpcensus.job.schema.PlainFact;
import org.mpcensus.job.schema.ReplyFact;

/**
 * The census output into a {@link CensusDatabase}. PostgreSQL gets flink-connector-jdbc upserts,
 * with writers beside the operators that produce the rows so each key's updates stay in order; the
 * embedded DuckDB file gets a {@link DuckDbUpsertSink} per table, one writing subtask each.
 */
public final class DatabaseOutput implements CensusOutput {
    private final CensusDatabase database;
    private final int batchSize;
    private final Duration interval;
    private final int maxRetries;
    private final boolean exactlyOnce;

    public DatabaseOutput(CensusDatabase database, Configuration conf) {
        this.database = database;
        this.batchSize = conf.get(SinkOptions.BATCH_SIZE);
        this.interval = conf.get(SinkOptions.BATCH_INTERVAL);
        this.maxRetries = conf.get(SinkOptions.MAX_RETRIES);
        // A job that restores from checkpoints must not leave rows of a failed attempt behind
        // (see CommittedUpsertSink): with checkpoints, rows are written per checkpoint.
        this.exactlyOnce =
                conf.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).isPresent();
    }

    /** Creates the census tables if they do not exist. */
    @Override
    public void prepare() throws Exception {
        database.createSchema();
    }

    /**
     * Writes every census table and the census's memory ({@link LedgerTables#MEMORY}), recorded
     * under the run that writes the database.
     */
    @Override
    public void writeAll(CensusStreams census) {
        CensusOutput.super.writeAll(census);
        String runId = database.runId() == null ? "" : database.runId();
        write(
                LedgerTables.REPLIES,
                census.mptcpPathReplies()
                        .map(new ReplyFact.Numbering(runId))
                        .returns(ReplyFact.class)
                        .name("reply-facts")
                        .uid("reply-facts"));
        write(
                LedgerTables.PLAIN,
                census.plainResponders()
                        .map(p -> PlainFact.of(runId, p))
                        .returns(PlainFact.class)
                        .name("plain-facts")
                        .uid("plain-facts"));
    }

    @Override
    public <T> void write(CensusTable<T> table, DataStream<T> rows) {
        DataStreamSink<T> s =
                rows.sinkTo(sink(rows, table)).name(table.name()).uid("sink-" + table.name());
        s.setParallelism(database.singleWriter() ? 1 : rows.getParallelism());
    }

    private <T> Sink<T> sink(DataStream<T> rows, CensusTable<T> table) {
        if (exactlyOnce) {
            return new CommittedUpsertSink<>(
                    table,
                    database.singleWriter()
                            ? DuckDbUpsertSink.batches(database, table)
                            : CommittedUpsertSink.statements(database, table),
                    rows.getType()
                            .createSerializer(rows.getExecutionConfig().getSerializerConfig()));
        }
        // The memory matters when the run ends (or checkpoints): written when a batch is full, not
        // every interval, so it adds no transaction per second to the tables being read.
        Duration every = LedgerTables.MEMORY.contains(table) ? Duration.ZERO : interval;
        if (database.singleWriter()) {
            return new DuckDbUpsertSink<>(database, table, batchSize, every);
        }
        int columns = table.columns().size();
        JdbcSinkBuilder<T> b =
                table.deletes()
                        ? JdbcSink.<T>builder()
                                .withQueryStatement(
                                        table.upsertOrDelete(),
                                        (ps, row) -> {
                                            table.bind(ps, 1, row);
                                            table.bind(ps, 1 + columns, row);
                                        })
                        : JdbcSink.<T>builder()
                                .withQueryStatement(
                                        table.upsert(1), (ps, row) -> table.bind(ps, 1, row));
        return b.withExecutionOptions(
                        JdbcExecutionOptions.builder()
                                .withBatchSize(batchSize)
                                .withBatchIntervalMs(every.toMillis())
                                .withMaxRetries(maxRetries)
                                .build())
                .buildAtLeastOnce(database.connectionOptions());
    }
}
