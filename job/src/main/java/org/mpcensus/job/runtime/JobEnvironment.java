package org.mpcensus.job.runtime;

import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.mpcensus.job.output.CensusOutput;

/** The execution environment of every mpcensus job. */
public final class JobEnvironment {
    private JobEnvironment() {}

    /** The execution target of a running session cluster reached through its REST endpoint. */
    public static final String REMOTE = "remote";

    /**
     * The execution environment: Kryo fallback off, object reuse on, everything else from {@code
     * conf}. With {@code execution.target: remote} (and {@code rest.address}, {@code rest.port})
     * the job is submitted to that running cluster, whose classpath must hold mpcensus's classes;
     * otherwise it runs where it is built (a local MiniCluster, whose endpoints listen on loopback
     * unless {@code conf} says otherwise, or the cluster that runs the entry point).
     */
    public static StreamExecutionEnvironment of(Configuration conf) {
        Configuration c = new Configuration(conf);
        c.set(PipelineOptions.GENERIC_TYPES, false);
        // Every type the census passes between operators is an immutable record, so chained
        // operators may share instances instead of copying each one.
        c.set(PipelineOptions.OBJECT_REUSE, true);
        if (REMOTE.equals(c.get(DeploymentOptions.TARGET))) {
            // As locally: execute() waits for the job's end (the summary reads its tables).
            c.set(DeploymentOptions.ATTACHED, true);
            return new StreamExecutionEnvironment(c);
        }
        LoopbackEndpoints.apply(c);
        return StreamExecutionEnvironment.getExecutionEnvironment(c);
    }

    /**
     * Runs a census job to its end: prepares its outputs, builds its graph on an environment of the
     * configuration and executes it under a name.
     */
    public static JobExecutionResult run(
            Configuration conf,
            List<? extends CensusOutput> outputs,
            Consumer<StreamExecutionEnvironment> build,
            String name)
            throws Exception {
        CensusOutput.prepareAll(outputs);
        StreamExecutionEnvironment env = of(conf);
        build.accept(env);
        return env.execute(name);
    }
}
