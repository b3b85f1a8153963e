package org.mpcensus.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.mpcensus.job.cli.MpcensusCommand;

/**
 * The jar the image copies is the cluster jar the build made: it exists after {@code package}, its
 * manifest names the entry class the FlinkDeployments use, it holds the classes the cluster entry
 * point and the SQL session need beside Flink, and nothing of Flink itself, DuckDB or the command
 * line, under 30 MB. That it is enough to run the jobs on a cluster is shown by the job module's
 * {@code FlinkClusterITCase}, whose cluster runs from Flink's jars and this one.
 */
class DeploymentJarITCase {
    static final String JAR = "job/target/mpcensus-cluster.jar";

    @Test
    void theImageCopiesTheClusterJarWhichHoldsTheEntryClassTheManifestsName() throws Exception {
        Path jar = Manifests.root().resolve(JAR);
        assertThat(jar).as("built by mvn package").exists();
        assertThat(Files.size(jar)).as("bytes of " + jar).isLessThan(30_000_000L);
        List<String> names;
        try (JarFile j = new JarFile(jar.toFile())) {
            assertThat(j.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(MpcensusCommand.class.getName());
            names = j.stream().map(ZipEntry::getName).toList();
        }
        assertThat(names)
                .contains(
                        "org/mpcensus/job/cli/MpcensusCommand.class",
                        "org/mpcensus/job/cli/ClusterJobCommand.class",
                        "org/mpcensus/udf/sql/HammingWeightFunction.class",
                        "org/apache/flink/connector/kafka/source/KafkaSource.class",
                        "org/apache/flink/connector/jdbc/core/database/catalog/factory/JdbcCatalogFactory.class",
                        "org/postgresql/Driver.class",
                        "org/pcap4j/core/Pcaps.class",
                        "org/roaringbitmap/RoaringBitmap.class",
                        "com/maxmind/geoip2/DatabaseReader.class",
                        "picocli/CommandLine.class");
        for (String absent :
                List.of(
                        "org/apache/flink/runtime/",
                        "org/apache/flink/streaming/api/",
                        "org/apache/flink/table/planner/",
                        "org/apache/flink/table/client/",
                        "org/apache/flink/python/",
                        "org/duckdb/",
                        "com/ibm/icu/",
                        "org/apache/logging/log4j/",
                        "log4j2.properties")) {
            assertThat(names).as(absent).noneMatch(n -> n.startsWith(absent));
        }
        assertThat(names)
                .as("native libraries for other platforms than Linux x86-64 and AArch64")
                .noneMatch(
                        n ->
                                n.matches(".*\\.(dll|dylib|jnilib)")
                                        || n.matches(".*/(win32|darwin|freebsd|aix|sunos).*\\.so"));
        assertThat(Files.readString(Manifests.k8s().resolve("Dockerfile")))
                .contains("COPY --chown=flink:flink " + JAR + " /opt/flink/usrlib/mpcensus.jar");
    }
}
