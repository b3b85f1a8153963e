package org.mpcensus.probe.path;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Options of path verification ({@code mpcensus verify}, and the stage of a probing job). */
public final class PathOptions {
    public static final ConfigOption<Boolean> ENABLED =
            ConfigOptions.key("mpcensus.verify.enabled")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Verify the paths of the hosts a probing job finds (see"
                                    + " mpcensus.verify.classes).");

    public static final ConfigOption<List<String>> CLASSES =
            ConfigOptions.key("mpcensus.verify.classes")
                    .stringType()
                    .asList()
                    .defaultValues("CANDIDATE", "MIRRORED")
                    .withDescription(
                            "Classifications whose hosts get their paths verified, once per month,"
                                    + " port and version.");

    public static final ConfigOption<Integer> MAX_TTL =
            ConfigOptions.key("mpcensus.verify.max-ttl")
                    .intType()
                    .defaultValue(30)
                    .withDescription("Highest TTL (hop limit) of path probes.");

    public static final ConfigOption<Integer> SILENT_HOPS =
            ConfigOptions.key("mpcensus.verify.silent-hops")
                    .intType()
                    .defaultValue(5)
                    .withDescription("Consecutive silent hops after which a path is given up.");

    public static final ConfigOption<Duration> HOP_TIMEOUT =
            ConfigOptions.key("mpcensus.verify.hop-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription("How long to wait for a hop's answer before the next TTL.");

    public static final ConfigOption<Double> RATE =
            ConfigOptions.key("mpcensus.verify.rate")
                    .doubleType()
                    .defaultValue(100.0)
                    .withDescription(
                            "Path probes per second, for the whole job (its own budget, apart from"
                                    + " the scan's), shared by the verifying subtasks.");

    public static final ConfigOption<Integer> CONCURRENCY =
            ConfigOptions.key("mpcensus.verify.concurrency")
                    .intType()
                    .defaultValue(64)
                    .withDescription("Hosts whose paths one subtask verifies at the same time.");

    public static final ConfigOption<Integer> SOURCE_PORT_FIRST =
            ConfigOptions.key("mpcensus.verify.source-port-first")
                    .intType()
                    .defaultValue(61000)
                    .withDescription(
                            "First source port of path probes (apart from the scan's ports).");

    public static final ConfigOption<Integer> SOURCE_PORT_COUNT =
            ConfigOptions.key("mpcensus.verify.source-port-count")
                    .intType()
                    .defaultValue(3000)
                    .withDescription("Source ports of path probes.");

    private PathOptions() {}
}
