package org.mpcensus.job;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The packages of mpcensus (scanner, UDFs, job) depend on each other without a cycle: each is a
 * layer that can be read, tested and changed from the bottom up.
 */
class PackageCyclesTest {

    private static final JavaClasses MPCENSUS =
            new ClassFileImporter()
                    // The modules' classes, from their directories or their jars; not tests.
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .withImportOption(location -> !location.contains("-tests.jar"))
                    .importPackages("org.mpcensus");

    @Test
    void theProductionClassesOfEveryModuleAreThere() {
        // A rule over no classes would pass whatever the code does.
        assertThat(MPCENSUS.containPackage("org.mpcensus.probe.source.reader")).isTrue();
        assertThat(MPCENSUS.containPackage("org.mpcensus.udf.aggregate")).isTrue();
        assertThat(MPCENSUS.containPackage("org.mpcensus.job.sink")).isTrue();
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        slices().matching("org.mpcensus.(**)").should().beFreeOfCycles().check(MPCENSUS);
    }
}
