package org.mpcensus.job.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.mpcensus.job.ReplayJob;
import org.mpcensus.job.sink.SinkOptions;
import org.mpcensus.udf.enrich.EnrichmentOptions;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options of every command that runs the census: sink, enrichment, parallelism, -D. */
final class CensusArgs {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

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
            names = "--cluster",
            paramLabel = "HOST:PORT",
            description =
                    "Run the job on a running Flink session cluster (its REST endpoint) instead of"
                            + " a local MiniCluster. Its classpath must hold mpcensus.jar (as"
                            + " job/cluster/flink-cluster's does); files are read and DuckDB"
                            + " written by its processes, so name them by absolute paths.")
    String cluster;

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
        if (cluster != null) {
            int colon = cluster.lastIndexOf(':');
            if (colon <= 0 || !cluster.substring(colon + 1).matches("[0-9]{1,5}")) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--cluster takes HOST:PORT, not " + cluster);
            }
            String host = cluster.substring(0, colon);
            int port = Integer.parseInt(cluster.substring(colon + 1));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 3000);
            } catch (IOException e) {
                throw new UserError(
                        "no Flink cluster answers at "
                                + cluster
                                + " ("
                                + e.getMessage()
                                + "); job/cluster/flink-cluster start makes one");
            }
            conf.set(DeploymentOptions.TARGET, ReplayJob.REMOTE);
            conf.set(RestOptions.ADDRESS, host);
            conf.set(RestOptions.PORT, port);
        }
        return conf;
    }
}
