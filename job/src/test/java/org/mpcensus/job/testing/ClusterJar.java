package org.mpcensus.job.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster jar ({@code job/target/mpcensus-cluster.jar}) and a class path that stands in for a
 * Flink 2.2 distribution's {@code lib/}: Flink's own jars and their dependencies from this test's
 * class path, without mpcensus and without anything the cluster jar ships (connectors other than
 * files, drivers, pcap4j, the enrichment readers) or leaves out (DuckDB). A cluster started from
 * that class path and the cluster jar finds every class of mpcensus's jobs in the cluster jar or
 * nowhere, as in the image, where the jar lies in {@code usrlib/} beside Flink's {@code lib/}.
 */
public final class ClusterJar {
    private ClusterJar() {}

    /** The cluster jar of this build (made by {@code mvn package}). */
    public static Path path() {
        Path jar = Launcher.ROOT.resolve("job/target/mpcensus-cluster.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run mvn package first");
        }
        return jar;
    }

    /** Path pieces of what the cluster jar holds, or what a Flink distribution does not. */
    private static final List<String> NOT_FLINK =
            List.of(
                    "/target/classes",
                    "/target/test-classes",
                    "/org/mpcensus/",
                    "/mpcensus-",
                    "/flink-connector-kafka",
                    "/flink-connector-jdbc",
                    "/flink-connector-base/",
                    "/flink-connector-datagen/",
                    "/org/apache/kafka/",
                    "/org/postgresql/",
                    "/org/pcap4j/",
                    "/net/java/dev/jna/",
                    "/org/roaringbitmap/",
                    "/com/maxmind/",
                    "/com/fasterxml/jackson/core/",
                    "/commons-math3/",
                    "/info/picocli/",
                    "/com/github/luben/",
                    "/lz4-java/",
                    "/org/xerial/snappy/",
                    "/org/duckdb/");

    /** Flink's jars and their dependencies from this JVM's class path, nothing of mpcensus's. */
    public static String flinkClassPath() {
        List<String> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String unix = entry.replace(File.separatorChar, '/');
            if (unix.endsWith(".jar") && NOT_FLINK.stream().noneMatch(unix::contains)) {
                out.add(entry);
            }
        }
        return String.join(File.pathSeparator, out);
    }

    /** The class path of a cluster that runs mpcensus as the image does. */
    public static String clusterClassPath() {
        return flinkClassPath() + File.pathSeparator + path();
    }
}
