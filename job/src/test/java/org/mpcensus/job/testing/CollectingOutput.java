package org.mpcensus.job.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.mpcensus.job.output.CensusOutput;
import org.mpcensus.job.schema.CensusTable;

/**
 * A census output that collects every row in memory, for tests of the pipeline without a database
 * (a MiniCluster runs in the test's JVM, so the writers reach the collection). The final row of a
 * key is the table's row, as a database's upsert would leave it.
 */
public final class CollectingOutput implements CensusOutput {
    private static final Map<String, List<Object>> ROWS = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();

    @Override
    public <T> void write(CensusTable<T> table, DataStream<T> rows) {
        rows.sinkTo(new Collect<>(id + "/" + table.name()))
                .name("collect-" + table.name())
                .uid("collect-" + table.name());
    }

    /** Every row written to a table, in the order the writers got them. */
    public List<Object> written(CensusTable<?> table) {
        List<Object> rows = ROWS.get(id + "/" + table.name());
        return rows == null ? List.of() : List.copyOf(rows);
    }

    /**
     * The table as an upserting database would hold it: the last row of each key, without rows that
     * are gone (a count that reached zero).
     */
    public <T> List<T> table(CensusTable<T> table) {
        Map<Object, T> last = new LinkedHashMap<>();
        for (Object o : written(table)) {
            @SuppressWarnings("unchecked")
            T row = (T) o;
            last.put(table.keyOf(row), row);
        }
        List<T> out = new ArrayList<>();
        for (T row : last.values()) {
            if (!(table.gone(row))) {
                out.add(row);
            }
        }
        return out;
    }

    private record Collect<T>(String name) implements Sink<T> {
        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            List<Object> rows =
                    ROWS.computeIfAbsent(
                            name, n -> java.util.Collections.synchronizedList(new ArrayList<>()));
            return new SinkWriter<>() {
                @Override
                public void write(T element, Context context) {
                    rows.add(element);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
