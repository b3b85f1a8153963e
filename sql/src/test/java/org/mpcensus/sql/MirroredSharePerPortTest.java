package org.mpcensus.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;

class MirroredSharePerPortTest {

    @Test
    void mirroredShareIsMirrorsOverMpCapableHostsPerPort() throws Exception {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        Table counts =
                env.fromValues(
                        DataTypes.ROW(
                                DataTypes.FIELD("month", DataTypes.STRING()),
                                DataTypes.FIELD("ip_version", DataTypes.INT()),
                                DataTypes.FIELD("port", DataTypes.INT()),
                                DataTypes.FIELD("probed_version", DataTypes.INT()),
                                DataTypes.FIELD("asn", DataTypes.BIGINT()),
                                DataTypes.FIELD("classification", DataTypes.STRING()),
                                DataTypes.FIELD("hosts", DataTypes.BIGINT()),
                                DataTypes.FIELD("replies", DataTypes.BIGINT())),
                        Row.of("2026-10", 4, 443, 1, 64496L, "MIRRORED", 30L, 30L),
                        Row.of("2026-10", 6, 443, 1, 64497L, "MIRRORED", 10L, 12L),
                        Row.of("2026-10", 4, 443, 1, 64496L, "CANDIDATE", 10L, 11L),
                        Row.of("2026-10", 4, 443, 1, 64496L, "NOT_MPTCP", 500L, 500L),
                        Row.of("2026-10", 4, 80, 1, 64496L, "NOT_MPTCP", 7L, 7L));
        env.createTemporaryView("census_counts", counts);
        String sql = Recipes.load("mirrored-share-per-port");
        assertThat(Recipes.summary(sql)).startsWith("Mirrored share per port");

        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = env.sqlQuery(sql).execute().collect()) {
            it.forEachRemaining(rows::add);
        }
        rows.sort((a, b) -> Integer.compare((Integer) a.getField(2), (Integer) b.getField(2)));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).getField("mp_capable_hosts")).isEqualTo(0L);
        assertThat(rows.get(0).getField("mirrored_share")).isNull();
        assertThat(rows.get(1).getField("mp_capable_hosts")).isEqualTo(50L);
        assertThat(rows.get(1).getField("mirrored_hosts")).isEqualTo(40L);
        assertThat((Double) rows.get(1).getField("mirrored_share")).isEqualTo(0.8);
    }
}
