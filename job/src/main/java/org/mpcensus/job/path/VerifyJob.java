package org.mpcensus.job.path;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.mpcensus.job.output.CensusOutput;
import org.mpcensus.job.runtime.CensusOptions;
import org.mpcensus.job.runtime.JobEnvironment;
import org.mpcensus.probe.packet.IpAddress;
import org.mpcensus.probe.source.plan.ScanPlan;
import org.mpcensus.udf.enrich.EnrichmentOptions;
import org.mpcensus.udf.scope.HostOfInterest;

/**
 * Path verification of a list of hosts on its own ({@code mpcensus verify}): the hosts' addresses
 * with each port and version, in this month, through the same {@link PathStage} as a probing job,
 * into {@code census_paths} and {@code census_path_counts} (AS 0: the list carries no origin).
 */
public final class VerifyJob {
    private final ScanPlan plan;
    private final List<? extends CensusOutput> outputs;
    private final Configuration conf;

    /**
     * @param plan the hosts (its target space: addresses, ports and versions), the interface,
     *     addresses and blocklist to probe with
     */
    public VerifyJob(ScanPlan plan, List<? extends CensusOutput> outputs, Configuration conf) {
        this.plan = plan;
        this.outputs = outputs;
        this.conf = conf;
    }

    /** One request per address, port and version of the plan's target space, in order. */
    public static List<HostOfInterest> requests(ScanPlan plan) {
        String month = YearMonth.now(ZoneOffset.UTC).toString();
        List<HostOfInterest> out = new ArrayList<>();
        for (long i = 0; i < plan.space().size(); i++) {
            var p = plan.space().probe(i);
            out.add(
                    HostOfInterest.listed(
                            month,
                            IpAddress.format(p.address()),
                            p.address().length == 4 ? 4 : 6,
                            p.port(),
                            p.version()));
        }
        return out;
    }

    /** Builds the job graph on an environment. */
    public void build(StreamExecutionEnvironment env) {
        DataStream<HostOfInterest> requests =
                env.fromData(requests(plan), TypeInformation.of(HostOfInterest.class))
                        .name("targets")
                        .uid("targets")
                        .map(
                                new PathStage.Locate(
                                        conf.getOptional(EnrichmentOptions.ASN_TABLE).orElse(null),
                                        conf.getOptional(EnrichmentOptions.COUNTRY_DB)
                                                .orElse(null)))
                        .name("locate")
                        .uid("locate");
        DataStream<PathRow> paths =
                PathStage.verify(requests, plan, conf, conf.get(CensusOptions.LATENESS_MONTHS));
        CensusOutput.writeAll(outputs, PathTables.PATHS, paths);
    }

    /** Prepares the outputs and verifies every host. */
    public JobExecutionResult run() throws Exception {
        return JobEnvironment.run(conf, outputs, this::build, "mpcensus verify");
    }
}
