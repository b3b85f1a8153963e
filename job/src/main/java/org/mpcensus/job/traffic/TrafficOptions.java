package org.mpcensus.job.traffic;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Options of {@code mpcensus traffic}. */
public final class TrafficOptions {
    public static final ConfigOption<Duration> IDLE_TIMEOUT =
            ConfigOptions.key("mpcensus.traffic.idle-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(120))
                    .withDescription(
                            "A flow without a packet for this long ends (flows also end on a new"
                                    + " SYN after FIN or RST, and at the end of the trace).");

    public static final ConfigOption<Integer> MIN_PACKETS =
            ConfigOptions.key("mpcensus.traffic.min-packets")
                    .intType()
                    .defaultValue(5)
                    .withDescription(
                            "Flows with fewer packets are left out of the shares (scans and"
                                    + " backscatter), as in the published studies.");

    public static final ConfigOption<Double> EWMA_ALPHA =
            ConfigOptions.key("mpcensus.traffic.ewma-alpha")
                    .doubleType()
                    .defaultValue(0.2)
                    .withDescription(
                            "Weight a of the newest day in the moving averages of flow counts"
                                    + " (e = a x + (1 - a) e'), 0.2 as in the published studies.");

    public static final ConfigOption<TrafficBucket> BUCKET =
            ConfigOptions.key("mpcensus.traffic.bucket")
                    .enumType(TrafficBucket.class)
                    .defaultValue(TrafficBucket.DAY)
                    .withDescription(
                            "Time bucket of traffic_share: day (the UTC day of each flow's first"
                                    + " packet) or capture (the whole trace).");

    public static final ConfigOption<Boolean> FLOWS =
            ConfigOptions.key("mpcensus.traffic.flows")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Write every flow to traffic_flows (a row per flow: turn it off for"
                                    + " traces of billions of packets and keep the aggregates).");

    private TrafficOptions() {}
}
