package org.mpcensus.job.runtime;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Options of the census pipeline itself (sources and sinks have their own option classes). */
public final class CensusOptions {

    public static final ConfigOption<String> EMIT_REPLIES =
            ConfigOptions.key("mpcensus.emit-replies")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Also write every classified reply as JSON Lines to this file.");

    public static final ConfigOption<Duration> EMIT_INTERVAL =
            ConfigOptions.key("mpcensus.emit-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription(
                            "How often (processing time) a changing count, key-test or overlap"
                                    + " row is written; every final value is written when input"
                                    + " ends. 0 writes every change. Host rows are written on"
                                    + " every change.");

    public static final ConfigOption<Duration> STATUS_INTERVAL =
            ConfigOptions.key("mpcensus.status-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription(
                            "How often replay and analyze print their progress on stderr when"
                                    + " they run on a local MiniCluster (and probe, verify and"
                                    + " http-timing that of path verification and HTTP timing);"
                                    + " 0 prints none.");

    public static final ConfigOption<String> ARCHIVE =
            ConfigOptions.key("mpcensus.archive")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Write every live reply to this file in mpcensus's JSON Lines archive"
                                    + " format, for replay.");

    public static final ConfigOption<Integer> CONSISTENCY_WINDOW =
            ConfigOptions.key("mpcensus.consistency.window")
                    .intType()
                    .defaultValue(3)
                    .withDescription(
                            "W: a host is consistent in month M when it was a candidate in each of"
                                    + " the W months ending at M.");

    public static final ConfigOption<Integer> TRANSIENT_BELOW =
            ConfigOptions.key("mpcensus.consistency.transient-below")
                    .intType()
                    .defaultValue(2)
                    .withDescription(
                            "k: a candidate in fewer than k months of its window is transient.");

    public static final ConfigOption<Duration> REPLAY_OUT_OF_ORDERNESS =
            ConfigOptions.key("mpcensus.replay.out-of-orderness")
                    .durationType()
                    .noDefaultValue()
                    .withDescription(
                            "Gives a replay of files a watermark: the latest capture time read"
                                    + " minus this. Then the state of months that are over (plus"
                                    + " the lateness) is cleared while the replay runs, so an"
                                    + " archive of any length replays in bounded memory, provided"
                                    + " it is read in time order (rows older than that are counted"
                                    + " in rowsPastLateness and not applied). Without it a replay"
                                    + " has no watermark until its end: exact in any month order,"
                                    + " with the state of the whole archive.");

    public static final ConfigOption<Integer> LATENESS_MONTHS =
            ConfigOptions.key("mpcensus.lateness-months")
                    .intType()
                    .defaultValue(1)
                    .withFallbackKeys("mpcensus.consistency.lateness-months")
                    .withDescription(
                            "L: rows of month M still update the host, consistency and overlap"
                                    + " tables"
                                    + " until the watermark passes the end of month M + L; later"
                                    + " ones are counted (metric rowsPastLateness) and not applied."
                                    + " A month's state is cleared once no month that may still"
                                    + " change needs it. A replay of files has no watermark until"
                                    + " its end, so backfills in any month order are exact.");

    public static final ConfigOption<List<Integer>> OVERLAP_PORTS =
            ConfigOptions.key("mpcensus.overlap.ports")
                    .intType()
                    .asList()
                    .defaultValues(80, 443)
                    .withDescription(
                            "The two ports whose overlap census_overlap counts (measure PORTS).");

    public static final ConfigOption<Double> KEY_TEST_ALPHA =
            ConfigOptions.key("mpcensus.keys.alpha")
                    .doubleType()
                    .defaultValue(0.001)
                    .withDescription(
                            "Significance of the key-weight test per AS: the share of ASes with"
                                    + " random keys that are flagged anyway.");

    private CensusOptions() {}
}
