package org.mpcensus.job;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpcensus.job.schema.CensusSchema;
import org.mpcensus.job.schema.CensusTable;
import org.mpcensus.job.schema.CensusView;

/**
 * The core of mpcensus's jobs (the schema, the outputs and sinks, what every job runs on) never
 * names a feature (the census, path verification, HTTP timing, passive traffic, the report, the
 * testbed): a feature adds its tables by a {@link org.mpcensus.job.schema.TableSet} that the core
 * finds at run time.
 */
class CoreIndependenceTest {

    private static final JavaClasses JOB =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("org.mpcensus.job");

    static final String[] CORE = {
        "org.mpcensus.job.schema..",
        "org.mpcensus.job.sink..",
        "org.mpcensus.job.output..",
        "org.mpcensus.job.runtime.."
    };

    static final String[] FEATURES = {
        "org.mpcensus.job.path..",
        "org.mpcensus.job.http..",
        "org.mpcensus.job.traffic..",
        "org.mpcensus.job.report..",
        "org.mpcensus.job.testbed..",
        "org.mpcensus.job.census.."
    };

    @Test
    void theCoreNamesNoFeature() {
        assertThat(JOB.containPackage("org.mpcensus.job.schema")).isTrue();
        assertThat(JOB.containPackage("org.mpcensus.job.path")).isTrue();
        noClasses()
                .that()
                .resideInAnyPackage(CORE)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(FEATURES)
                .check(JOB);
    }

    @Test
    void theFeaturesTablesAreFoundInTheirOrder() {
        List<String> names = CensusSchema.withRuns().stream().map(CensusTable::name).toList();
        assertThat(names)
                .containsSubsequence(
                        "census_overlap",
                        "census_paths",
                        "census_http",
                        "census_http_deltas",
                        "traffic_flows",
                        "census_as_names",
                        "census_runs");
        assertThat(CensusSchema.topics().stream().map(CensusTable::name))
                .contains("census_paths", "census_http_deltas")
                .doesNotContain("traffic_flows", "census_runs");
        // The census's own view first, then the path feature's three.
        assertThat(CensusSchema.views().stream().map(CensusView::name))
                .containsExactly(
                        "census_key_weight_binomial",
                        "census_path_counts",
                        "census_truly_capable",
                        "census_true_support");
    }
}
