package org.mpcensus.job.report;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Options of {@code mpcensus report}. */
public final class ReportOptions {
    public static final ConfigOption<String> OUT =
            ConfigOptions.key("mpcensus.report.out")
                    .stringType()
                    .defaultValue("mpcensus-report")
                    .withDescription("Directory the report is written into (created if missing).");

    public static final ConfigOption<String> MONTHS =
            ConfigOptions.key("mpcensus.report.months")
                    .stringType()
                    .defaultValue("..")
                    .withDescription(
                            "Months the report covers: FROM..TO, either side may be left out.");

    public static final ConfigOption<String> AS_RANK =
            ConfigOptions.key("mpcensus.report.as-rank")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "CAIDA AS Rank file (the API's asns JSON, or JSON Lines of ASes), gzip"
                                    + " allowed: the rank column of the AS tables.");

    public static final ConfigOption<String> PEERINGDB =
            ConfigOptions.key("mpcensus.report.peeringdb")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "PeeringDB net dump (the JSON of /api/net), gzip allowed: the network"
                                    + " type column of the AS tables.");

    private ReportOptions() {}
}
