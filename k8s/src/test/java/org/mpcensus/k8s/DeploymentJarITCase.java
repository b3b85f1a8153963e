package org.mpcensus.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.mpcensus.job.cli.MpcensusCommand;

/**
 * The jar the image copies is the one the build made: it exists after {@code package}, its manifest
 * names the entry class the FlinkDeployments use, and it holds the classes the cluster entry point
 * and the SQL session need.
 */
class DeploymentJarITCase {
    @Test
    void theBuiltJarHoldsTheEntryClassTheManifestsName() throws Exception {
        Path jar = Manifests.root().resolve("job/target/mpcensus.jar");
        assertThat(jar).as("built by mvn package").exists();
        try (JarFile j = new JarFile(jar.toFile())) {
            assertThat(j.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(MpcensusCommand.class.getName());
            for (String c :
                    new String[] {
                        "org/mpcensus/job/cli/MpcensusCommand.class",
                        "org/mpcensus/job/cli/ClusterJobCommand.class",
                        "org/mpcensus/udf/sql/HammingWeightFunction.class",
                        "org/apache/flink/connector/kafka/source/KafkaSource.class",
                        "org/apache/flink/connector/jdbc/core/database/catalog/factory/JdbcCatalogFactory.class",
                        "org/postgresql/Driver.class"
                    }) {
                assertThat(j.getEntry(c)).as(c).isNotNull();
            }
        }
        assertThat(Files.readString(Manifests.k8s().resolve("Dockerfile")))
                .contains(
                        "COPY --chown=flink:flink job/target/mpcensus.jar /opt/flink/usrlib/mpcensus.jar");
    }
}
