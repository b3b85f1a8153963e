package org.mpcensus.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.job.schema.CensusTables;
import org.mpcensus.udf.aggregate.CountKey;
import org.mpcensus.udf.aggregate.CountRow;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.scope.Scope;

class CommittedUpsertSinkTest {
    @TempDir Path dir;

    static CountRow row(long asn, long hosts) {
        return new CountRow(
                new CountKey(new Scope("2026-10", 4, 443, 1, asn), Classification.CANDIDATE),
                hosts,
                hosts);
    }

    CommittedUpsertSink<CountRow> sink(CensusDatabase db) {
        return new CommittedUpsertSink<>(
                CensusTables.COUNTS,
                DuckDbUpsertSink.batches(db, CensusTables.COUNTS),
                TypeInformation.of(CountRow.class).createSerializer(new SerializerConfigImpl()));
    }

    @Test
    void aCheckpointsCommittableIsTheLatestRowPerKeyAndSurvivesItsSerializer() throws Exception {
        CensusDatabase db = CensusDatabase.of("duckdb:" + dir.resolve("c.duckdb"), null, null);
        CommittedUpsertSink<CountRow> sink = sink(db);
        @SuppressWarnings("unchecked")
        CommittingSinkWriter<CountRow, List<CountRow>> writer =
                (CommittingSinkWriter<CountRow, List<CountRow>>) sink.createWriter(null);
        writer.write(row(1, 1), null);
        writer.write(row(2, 5), null);
        writer.write(row(1, 3), null);
        Collection<List<CountRow>> committables = writer.prepareCommit();
        assertThat(committables).containsExactly(List.of(row(1, 3), row(2, 5)));
        // The next checkpoint starts empty.
        assertThat(writer.prepareCommit()).isEmpty();

        SimpleVersionedSerializer<List<CountRow>> s = sink.getCommittableSerializer();
        List<CountRow> batch = committables.iterator().next();
        assertThat(s.deserialize(s.getVersion(), s.serialize(batch))).isEqualTo(batch);
    }

    @Test
    void committedBatchesReachTheTableInOrderAndAreHarmlessWhenRetried() throws Exception {
        CensusDatabase db = CensusDatabase.of("duckdb:" + dir.resolve("t.duckdb"), null, null);
        db.createSchema();
        try (var writer = DuckDbUpsertSink.batches(db, CensusTables.COUNTS).open()) {
            writer.write(List.of(row(1, 1), row(2, 5)));
            writer.write(List.of(row(1, 3)));
            // A committable retried after a restore.
            writer.write(List.of(row(1, 3)));
        }
        List<String> rows = new ArrayList<>();
        try (Connection c = db.connect();
                Statement st = c.createStatement();
                ResultSet r =
                        st.executeQuery("SELECT asn, hosts FROM census_counts ORDER BY asn")) {
            while (r.next()) {
                rows.add(r.getLong(1) + "=" + r.getLong(2));
            }
        }
        assertThat(rows).containsExactly("1=3", "2=5");
    }
}
