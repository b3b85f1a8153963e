package org.mpcensus.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs the recipes over census_overlap and census_consistency in batch mode on known rows. */
class HostRecipesTest {
    TableEnvironment env;

    @BeforeEach
    void tables() {
        env = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        // What the overlap tracker counts for A (v0 on both ports in January, v1 on 443 only in
        // February) and B (v1 on 443 in January, both versions on 443 in February).
        env.createTemporaryView(
                "census_overlap",
                env.fromValues(
                        DataTypes.ROW(
                                DataTypes.FIELD("month", DataTypes.STRING()),
                                DataTypes.FIELD("ip_version", DataTypes.SMALLINT()),
                                DataTypes.FIELD("port", DataTypes.INT()),
                                DataTypes.FIELD("probed_version", DataTypes.SMALLINT()),
                                DataTypes.FIELD("asn", DataTypes.BIGINT()),
                                DataTypes.FIELD("measure", DataTypes.STRING()),
                                DataTypes.FIELD("category", DataTypes.STRING()),
                                DataTypes.FIELD("hosts", DataTypes.BIGINT())),
                        overlap("2026-01", 80, -1, "VERSIONS", "only_v0", 1),
                        overlap("2026-01", 443, -1, "VERSIONS", "only_v0", 1),
                        overlap("2026-01", 443, -1, "VERSIONS", "only_v1", 1),
                        overlap("2026-02", 443, -1, "VERSIONS", "only_v1", 1),
                        overlap("2026-02", 443, -1, "VERSIONS", "both", 1),
                        overlap("2026-01", -1, 0, "PORTS", "both", 1),
                        overlap("2026-01", -1, 1, "PORTS", "only_443", 1),
                        overlap("2026-02", -1, 0, "PORTS", "only_443", 1),
                        overlap("2026-02", -1, 1, "PORTS", "only_443", 2),
                        overlap("2026-02", 443, -1, "MIGRATION", "added_v1", 1),
                        overlap("2026-02", 443, -1, "MIGRATION", "dropped_v0", 1),
                        overlap("2026-02", 443, -1, "MIGRATION", "switched_v0_to_v1", 1)));
        env.createTemporaryView(
                "census_consistency",
                env.fromValues(
                        DataTypes.ROW(
                                DataTypes.FIELD("month", DataTypes.STRING()),
                                DataTypes.FIELD("host", DataTypes.STRING()),
                                DataTypes.FIELD("port", DataTypes.INT()),
                                DataTypes.FIELD("probed_version", DataTypes.INT()),
                                DataTypes.FIELD("ip_version", DataTypes.INT()),
                                DataTypes.FIELD("asn", DataTypes.BIGINT()),
                                DataTypes.FIELD("candidate", DataTypes.BOOLEAN()),
                                DataTypes.FIELD("consistent", DataTypes.BOOLEAN()),
                                DataTypes.FIELD("is_transient", DataTypes.BOOLEAN())),
                        Row.of("2026-03", "A", 443, 1, 4, 64496L, true, true, false),
                        Row.of("2026-03", "B", 443, 1, 4, 64496L, true, false, true),
                        Row.of("2026-03", "C", 443, 1, 4, 64497L, false, false, false),
                        Row.of("2026-03", "D", 443, 1, 4, 64497L, true, true, false)));
    }

    static Row overlap(
            String month, int port, int version, String measure, String category, long hosts) {
        return Row.of(month, (short) 4, port, (short) version, 64496L, measure, category, hosts);
    }

    Set<String> run(String recipe) throws Exception {
        String sql = Recipes.load(recipe);
        assertThat(Recipes.summary(sql)).isNotBlank();
        Set<String> rows = new TreeSet<>();
        try (CloseableIterator<Row> it = env.sqlQuery(sql).execute().collect()) {
            it.forEachRemaining(r -> rows.add(r.toString()));
        }
        return rows;
    }

    @Test
    void portOverlap() throws Exception {
        assertThat(run("port-overlap"))
                .containsExactlyInAnyOrder(
                        "+I[2026-01, 0, 0, 0, 1]", "+I[2026-01, 1, 0, 1, 0]",
                        "+I[2026-02, 0, 0, 1, 0]", "+I[2026-02, 1, 0, 2, 0]");
    }

    @Test
    void versionOverlap() throws Exception {
        assertThat(run("version-overlap"))
                .containsExactlyInAnyOrder(
                        "+I[2026-01, 80, 1, 0, 0]",
                        "+I[2026-01, 443, 1, 1, 0]",
                        "+I[2026-02, 443, 0, 1, 1]");
    }

    @Test
    void migrationFromOneMonthToTheNext() throws Exception {
        assertThat(run("v0-to-v1-migration")).containsExactly("+I[2026-02, 443, 1, 1, 1, 0]");
    }

    @Test
    void consistencyRecipes() throws Exception {
        assertThat(run("top-consistent-ases"))
                .containsExactlyInAnyOrder(
                        "+I[2026-03, 4, 1, 443, 64496, 1]", "+I[2026-03, 4, 1, 443, 64497, 1]");
        assertThat(run("consistent-vs-candidates"))
                .containsExactly("+I[2026-03, 4, 1, 443, 3, 2, 1]");
    }
}
