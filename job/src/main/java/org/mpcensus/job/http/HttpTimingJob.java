package org.mpcensus.job.http;

import java.io.IOException;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.mpcensus.job.output.CensusOutput;
import org.mpcensus.job.runtime.JobEnvironment;
import org.mpcensus.probe.packet.IpAddress;
import org.mpcensus.probe.source.plan.ProbeSourceOptions;
import org.mpcensus.probe.source.plan.ScanPlan;
import org.mpcensus.probe.target.TargetSpace;
import org.mpcensus.udf.scope.HostOfInterest;

/**
 * HTTP(S) timing of a list of hosts on its own ({@code mpcensus http-timing}): each address with
 * each port, in this month, category {@code LISTED}, through the same {@link HttpStage} as a
 * probing job, into {@code census_http} and {@code census_http_deltas}.
 */
public final class HttpTimingJob {
    private final List<HostOfInterest> targets;
    private final ScanPlan.Safety safety;
    private final List<? extends CensusOutput> outputs;
    private final Configuration conf;
    private int httpRunsFrom;

    /**
     * @param targets the hosts and ports ({@link #targets(Configuration)})
     * @param safety the blocklist and opt-out list
     */
    public HttpTimingJob(
            List<HostOfInterest> targets,
            ScanPlan.Safety safety,
            List<? extends CensusOutput> outputs,
            Configuration conf) {
        this.targets = targets;
        this.safety = safety;
        this.outputs = outputs;
        this.conf = conf;
    }

    /**
     * One target per address of the hitlist ({@link ProbeSourceOptions#HITLIST}) and port ({@link
     * ProbeSourceOptions#PORTS}), in order.
     *
     * @throws IllegalArgumentException naming what is wrong with the list
     */
    public static List<HostOfInterest> targets(Configuration conf) throws IOException {
        String month = YearMonth.now(ZoneOffset.UTC).toString();
        Set<String> seen = new LinkedHashSet<>();
        List<HostOfInterest> out = new ArrayList<>();
        String file =
                conf.getOptional(ProbeSourceOptions.HITLIST)
                        .orElseThrow(() -> new IllegalArgumentException("no targets (--targets)"));
        for (String line : TargetSpace.readHitlist(Path.of(file))) {
            byte[] address = IpAddress.parse(line);
            String host = IpAddress.format(address);
            for (int port : conf.get(ProbeSourceOptions.PORTS)) {
                if (seen.add(host + '|' + port)) {
                    out.add(
                            HostOfInterest.listed(
                                    month, host, address.length == 4 ? 4 : 6, port, -1));
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no targets in " + file);
        }
        return out;
    }

    /**
     * Numbers the job's HTTP timing runs from {@code first}: after the runs the census holds, so
     * that they add to them; returns this job.
     */
    public HttpTimingJob httpRunsFrom(int first) {
        this.httpRunsFrom = first;
        return this;
    }

    /** Builds the job graph on an environment. */
    public void build(StreamExecutionEnvironment env) {
        DataStream<HostOfInterest> listed =
                env.fromData(targets, TypeInformation.of(HostOfInterest.class))
                        .name("targets")
                        .uid("targets");
        HttpStage.timeInto(outputs, listed, safety, conf, httpRunsFrom);
    }

    /** Prepares the outputs and times every host. */
    public JobExecutionResult run() throws Exception {
        return JobEnvironment.run(conf, outputs, this::build, "mpcensus http-timing");
    }
}
