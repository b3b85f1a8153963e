package org.mpcensus.udf.enrich;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.table.functions.FunctionContext;

/**
 * Where the enrichment tables come from. The SQL functions read the same keys from the job
 * parameters ({@code pipeline.global-job-parameters}) when they are created without a file.
 */
public final class EnrichmentOptions {

    public static final ConfigOption<String> ASN_TABLE =
            ConfigOptions.key("mpcensus.asn-table")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "IP-to-ASN table: a pyasn .dat or CAIDA pfx2as file (gzip allowed),"
                                    + " readable on every task manager. Without it every AS is 0.");

    public static final ConfigOption<String> COUNTRY_DB =
            ConfigOptions.key("mpcensus.country-db")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "MaxMind GeoLite2/GeoIP2 Country .mmdb for each host's country,"
                                    + " readable on every task manager. Without it countries are NULL.");

    public static final ConfigOption<Duration> RELOAD_INTERVAL =
            ConfigOptions.key("mpcensus.enrich.reload-interval")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "How often a continuous job (a scheduled probe without a scan limit, a"
                                    + " watched replay) looks for changes of the ASN table and the"
                                    + " country database and reloads them while running; 0 reads"
                                    + " them once. Bounded jobs always read them once.");

    public static final ConfigOption<String> AS_NAMES =
            ConfigOptions.key("mpcensus.as-names")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "AS names: pyasn asnames.json or CAIDA as-org2info (.txt or .jsonl), gzip allowed.");

    private EnrichmentOptions() {}

    /**
     * The file a SQL function reads: the one it was created with, else the job parameter named like
     * the option.
     *
     * @throws IllegalArgumentException when neither is there
     */
    public static String file(
            String given, FunctionContext context, ConfigOption<String> option, String function) {
        String file = given != null ? given : context.getJobParameter(option.key(), null);
        if (file == null) {
            throw new IllegalArgumentException(
                    function
                            + " needs a file: set the job parameter "
                            + option.key()
                            + " (pipeline.global-job-parameters)");
        }
        return file;
    }
}
