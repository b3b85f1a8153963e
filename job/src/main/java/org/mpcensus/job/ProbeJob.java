package org.mpcensus.job;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.mpcensus.job.kafka.KafkaOptions;
import org.mpcensus.job.kafka.ReplyTopic;
import org.mpcensus.job.output.CensusOutput;
import org.mpcensus.job.output.CensusStreams;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.DatabaseOutput;
import org.mpcensus.job.sink.JsonLinesFileSink;
import org.mpcensus.probe.archive.ReplyArchiveJson;
import org.mpcensus.probe.event.CensusInput;
import org.mpcensus.probe.event.ProbeReply;
import org.mpcensus.probe.source.ProbeSource;
import org.mpcensus.probe.source.plan.ScanPlan;

/**
 * The live census: the {@link ProbeSource} prober feeding the census pipeline and sinks, and
 * optionally archiving every reply in mpcensus's JSON Lines format for later replay. With {@link
 * KafkaOptions#PUBLISH} the prober only publishes its replies to the replies topic, for an {@link
 * AnalysisJob} elsewhere.
 */
public final class ProbeJob {
    private final ProbeSource source;
    private final List<? extends CensusOutput> outputs;
    private final Configuration conf;

    /**
     * @param outputs where the census tables go (none when the scan publishes)
     */
    public ProbeJob(ProbeSource source, List<? extends CensusOutput> outputs, Configuration conf) {
        this.source = source;
        this.outputs = outputs;
        this.conf = conf;
    }

    /**
     * The scan of a configuration's {@code mpcensus.probe.*} options, into the census tables of
     * {@code mpcensus.sink.url}, or only to the replies topic with {@link KafkaOptions#PUBLISH}.
     *
     * @throws IllegalArgumentException when the scan has no targets, interface or source address
     */
    public static ProbeJob fromConfiguration(Configuration conf) throws java.io.IOException {
        ProbeSource source = ProbeSource.of(ScanPlan.fromConfiguration(conf));
        List<DatabaseOutput> outputs =
                conf.get(KafkaOptions.PUBLISH)
                        ? List.of()
                        : List.of(new DatabaseOutput(CensusDatabase.fromConfiguration(conf), conf));
        return new ProbeJob(source, outputs, conf);
    }

    /** Builds the job graph on an environment. */
    public void build(StreamExecutionEnvironment env) {
        DataStream<ProbeReply> replies =
                env.fromSource(
                                source,
                                WatermarkStrategy.<ProbeReply>forBoundedOutOfOrderness(
                                                Duration.ofSeconds(5))
                                        .withTimestampAssigner(
                                                (r, t) -> r.captureTimeMicros() / 1000),
                                "prober")
                        .uid("prober");
        conf.getOptional(CensusOptions.ARCHIVE)
                .ifPresent(
                        file ->
                                replies.sinkTo(
                                                new JsonLinesFileSink<>(
                                                        file, ReplyArchiveJson::write))
                                        .name("archive")
                                        .uid("archive")
                                        .setParallelism(1));
        if (conf.get(KafkaOptions.PUBLISH)) {
            replies.sinkTo(ReplyTopic.sink(conf, "probe"))
                    .name("replies-topic")
                    .uid("replies-topic");
            return;
        }
        DataStream<CensusInput> records =
                replies.map(CensusInput::of).name("as-record").uid("as-record");
        CensusStreams census =
                CensusPipeline.build(
                        records, conf, source.getBoundedness() == Boundedness.CONTINUOUS_UNBOUNDED);
        CensusOutput.writeAll(outputs, census);
    }

    /** Prepares the outputs and runs the scan to its end. */
    public JobExecutionResult run() throws Exception {
        CensusOutput.prepareAll(outputs);
        StreamExecutionEnvironment env = JobEnvironment.of(conf);
        build(env);
        return env.execute("mpcensus probe " + source.plan().scanId());
    }

    /** Prepares the outputs and starts the scan without waiting. */
    public JobClient start(StreamExecutionEnvironment env) throws Exception {
        CensusOutput.prepareAll(outputs);
        build(env);
        return env.executeAsync("mpcensus probe " + source.plan().scanId());
    }
}
