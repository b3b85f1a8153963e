package org.mpcensus.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;

/** The traffic recipes in Flink SQL over small tables whose answers are known. */
class TrafficRecipesTest {

    static List<Row> run(TableEnvironment env, String recipe) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = env.sqlQuery(Recipes.load(recipe)).execute().collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    @Test
    void sharePerDaySumsTheTracesOfADay() throws Exception {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        Table share =
                env.fromValues(
                        DataTypes.ROW(
                                DataTypes.FIELD("trace", DataTypes.STRING()),
                                DataTypes.FIELD("bucket", DataTypes.STRING()),
                                DataTypes.FIELD("ip_version", DataTypes.INT()),
                                DataTypes.FIELD("tcp_flows", DataTypes.BIGINT()),
                                DataTypes.FIELD("tcp_bytes", DataTypes.BIGINT()),
                                DataTypes.FIELD("mptcp_flows", DataTypes.BIGINT()),
                                DataTypes.FIELD("mptcp_bytes", DataTypes.BIGINT()),
                                DataTypes.FIELD("mptcp_flows_ewma", DataTypes.DOUBLE())),
                        Row.of("a.pcap", "2024-03-01", 4, 90L, 9000L, 10L, 3000L, 10.0),
                        Row.of("b.pcap", "2024-03-01", 4, 10L, 1000L, 0L, 0L, 0.0),
                        Row.of("a.pcap", "2024-03-02", 4, 50L, 5000L, 5L, 500L, 9.0));
        env.createTemporaryView("traffic_share", share);
        assertThat(Recipes.summary(Recipes.load("traffic-share-per-day")))
                .startsWith("MPTCP share of TCP flows and bytes per day");
        List<Row> rows = run(env, "traffic-share-per-day");
        rows.sort(
                (x, y) -> ((String) x.getField("bucket")).compareTo((String) y.getField("bucket")));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).getField("tcp_flows")).isEqualTo(100L);
        assertThat((Double) rows.get(0).getField("flow_share")).isCloseTo(0.1, within(1e-12));
        assertThat((Double) rows.get(0).getField("byte_share")).isCloseTo(0.3, within(1e-12));
        assertThat((Double) rows.get(1).getField("flow_share")).isCloseTo(0.1, within(1e-12));
        assertThat((Double) rows.get(1).getField("mptcp_flows_ewma")).isCloseTo(9.0, within(1e-12));
    }

    @Test
    void appsShareTheMptcpBytes() throws Exception {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        Table apps =
                env.fromValues(
                        DataTypes.ROW(
                                DataTypes.FIELD("trace", DataTypes.STRING()),
                                DataTypes.FIELD("app", DataTypes.STRING()),
                                DataTypes.FIELD("tcp_flows", DataTypes.BIGINT()),
                                DataTypes.FIELD("tcp_bytes", DataTypes.BIGINT()),
                                DataTypes.FIELD("mptcp_flows", DataTypes.BIGINT()),
                                DataTypes.FIELD("mptcp_bytes", DataTypes.BIGINT())),
                        Row.of("a.pcap", "https", 100L, 10000L, 10L, 3000L),
                        Row.of("b.pcap", "https", 100L, 10000L, 0L, 0L),
                        Row.of("a.pcap", "apple-push", 10L, 1000L, 10L, 1000L));
        env.createTemporaryView("traffic_apps", apps);
        List<Row> rows = run(env, "traffic-apps");
        rows.sort((x, y) -> ((String) x.getField("app")).compareTo((String) y.getField("app")));
        assertThat(rows).extracting(r -> r.getField("app")).containsExactly("apple-push", "https");
        assertThat((Double) rows.get(0).getField("share_of_mptcp")).isCloseTo(0.25, within(1e-12));
        assertThat((Double) rows.get(1).getField("share_of_mptcp")).isCloseTo(0.75, within(1e-12));
        assertThat((Double) rows.get(1).getField("mptcp_share_of_app"))
                .isCloseTo(0.15, within(1e-12));
        assertThat((Double) rows.get(0).getField("mptcp_share_of_app"))
                .isCloseTo(1.0, within(1e-12));
    }

    @Test
    void sizesAreTheTableItself() throws Exception {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        env.createTemporaryView(
                "traffic_sizes",
                env.fromValues(
                        DataTypes.ROW(
                                DataTypes.FIELD("trace", DataTypes.STRING()),
                                DataTypes.FIELD("mptcp_flows", DataTypes.BIGINT()),
                                DataTypes.FIELD("mptcp_bytes", DataTypes.BIGINT()),
                                DataTypes.FIELD("top1_share", DataTypes.DOUBLE()),
                                DataTypes.FIELD("top5_share", DataTypes.DOUBLE()),
                                DataTypes.FIELD("top_half_share", DataTypes.DOUBLE())),
                        Row.of("a.pcap", 20L, 1000L, 0.5, 0.9, 0.99)));
        assertThat(run(env, "traffic-sizes"))
                .singleElement()
                .matches(r -> r.getField("top5_share").equals(0.9));
    }
}
