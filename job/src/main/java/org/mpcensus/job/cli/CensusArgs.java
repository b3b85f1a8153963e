package org.mpcensus.job.cli;

import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.mpcensus.job.sink.SinkOptions;
import org.mpcensus.udf.enrich.EnrichmentOptions;
import picocli.CommandLine.Option;

/** The options of every command that runs the census: sink, enrichment, parallelism, -D. */
final class CensusArgs {
    @Option(
            names = "--sink",
            paramLabel = "URL",
            defaultValue = "duckdb:mpcensus.duckdb",
            description =
                    "duckdb:PATH or jdbc:postgresql://HOST:PORT/DB (default: ${DEFAULT-VALUE}).")
    String sink;

    @Option(
            names = "--asn-table",
            paramLabel = "FILE",
            description =
                    "IP-to-ASN table (pyasn .dat or CAIDA pfx2as, gzip allowed). Default: AS 0.")
    String asnTable;

    @Option(
            names = "--country-db",
            paramLabel = "FILE",
            description = "MaxMind GeoLite2/GeoIP2 Country .mmdb for host countries.")
    String countryDb;

    @Option(
            names = "--parallelism",
            defaultValue = "2",
            description = "Flink parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "-D",
            paramLabel = "KEY=VALUE",
            description = "Any Flink or mpcensus option, e.g. -D mpcensus.sink.batch-size=10000.")
    Map<String, String> properties = Map.of();

    /** The configuration of the -D options with the others set on top. */
    Configuration configuration() {
        Configuration conf = Configuration.fromMap(properties);
        conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        conf.set(SinkOptions.URL, sink);
        Settings.setIfGiven(conf, EnrichmentOptions.ASN_TABLE, asnTable);
        Settings.setIfGiven(conf, EnrichmentOptions.COUNTRY_DB, countryDb);
        return conf;
    }
}
