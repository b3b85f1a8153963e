package org.mpcensus.job.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SQL files that declare the census tables are generated from {@link CensusTables}: the
 * checked-in {@code ddl/tables-kafka.sql} is what {@link CensusTables#kafkaDdl()} writes (and
 * {@code k8s/base/sql/init.sql}, the output of {@code mpcensus sql --print-init}, holds it). {@code
 * mvn test -pl job -Dtest=SchemaFilesTest -Dmpcensus.schema.update=true} rewrites the file after a
 * change of the schema.
 */
class SchemaFilesTest {
    static final Path KAFKA_DDL =
            Path.of("../sql/src/main/resources/mpcensus/sql/ddl/tables-kafka.sql");

    @Test
    void theCheckedInKafkaTablesAreTheGeneratedOnes() throws Exception {
        String generated = CensusSchema.kafkaDdl();
        if (Boolean.getBoolean("mpcensus.schema.update")) {
            Files.writeString(KAFKA_DDL, generated, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(KAFKA_DDL, StandardCharsets.UTF_8))
                .as(KAFKA_DDL + " (regenerate with -Dmpcensus.schema.update=true)")
                .isEqualTo(generated);
    }

    @Test
    void everyTableDeclaresItsKeyAmongItsColumnsInEveryDialect() {
        for (CensusTable<?> t : CensusSchema.withRuns()) {
            assertThat(t.columnNames()).as(t.name()).containsAll(t.key());
            for (String k : t.key()) {
                Column<?> c = t.columns().get(t.columnNames().indexOf(k));
                assertThat(c.nullable()).as(t.name() + "." + k + " is a key column").isFalse();
            }
            assertThat(t.ddl(SqlDialect.DUCKDB)).doesNotContain("BYTEA");
            assertThat(t.ddl(SqlDialect.POSTGRES)).doesNotContain("BLOB");
            if (t.deletes()) {
                assertThat(t.columnNames()).contains(t.goneColumn());
            }
        }
        assertThat(CensusTables.DEAD_LETTERS.ddl(SqlDialect.POSTGRES)).contains("raw BYTEA");
        assertThat(CensusTables.DEAD_LETTERS.ddl(SqlDialect.DUCKDB)).contains("raw BLOB");
        assertThat(CensusSchema.topics().stream().map(CensusTable::name).toList())
                .doesNotHaveDuplicates()
                .isEqualTo(
                        List.of(
                                "census_counts",
                                "census_hosts",
                                "dead_letters",
                                "census_consistency",
                                "census_key_tests",
                                "census_overlap",
                                "census_paths",
                                "census_http",
                                "census_http_deltas"));
        assertThat(CensusSchema.views().stream().map(CensusView::name).toList())
                .containsExactly(
                        "census_key_weight_binomial",
                        "census_path_counts",
                        "census_truly_capable",
                        "census_true_support");
    }
}
