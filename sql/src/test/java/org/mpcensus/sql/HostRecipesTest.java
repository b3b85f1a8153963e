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

/** Runs the recipes over census_hosts and census_consistency in batch mode on known rows. */
class HostRecipesTest {
    TableEnvironment env;

    @BeforeEach
    void tables() {
        env = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        env.createTemporaryView(
                "census_hosts",
                env.fromValues(
                        DataTypes.ROW(
                                DataTypes.FIELD("month", DataTypes.STRING()),
                                DataTypes.FIELD("host", DataTypes.STRING()),
                                DataTypes.FIELD("port", DataTypes.INT()),
                                DataTypes.FIELD("probed_version", DataTypes.INT()),
                                DataTypes.FIELD("classification", DataTypes.STRING())),
                        // A: v0 on both ports in January, then v1 on 443 only in February
                        // (switched)
                        Row.of("2026-01", "A", 80, 0, "CANDIDATE"),
                        Row.of("2026-01", "A", 443, 0, "CANDIDATE"),
                        Row.of("2026-02", "A", 443, 1, "CANDIDATE"),
                        Row.of("2026-02", "A", 443, 0, "NOT_MPTCP"),
                        // B: v1 on 443, then both versions
                        Row.of("2026-01", "B", 443, 1, "CANDIDATE"),
                        Row.of("2026-02", "B", 443, 1, "CANDIDATE"),
                        Row.of("2026-02", "B", 443, 0, "CANDIDATE"),
                        Row.of("2026-02", "C", 443, 1, "MIRRORED")));
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
        assertThat(run("v0-to-v1-migration")).containsExactly("+I[2026-02, 443, 1, 1, 1]");
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
