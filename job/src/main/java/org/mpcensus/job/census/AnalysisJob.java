package org.mpcensus.job.census;

import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.mpcensus.job.kafka.KafkaOptions;
import org.mpcensus.job.kafka.ReplyTopic;
import org.mpcensus.job.kafka.TableTopics;
import org.mpcensus.job.output.CensusOutput;
import org.mpcensus.job.output.CensusStreams;
import org.mpcensus.job.output.RememberedCensus;
import org.mpcensus.job.runtime.JobEnvironment;
import org.mpcensus.probe.event.CensusInput;

/**
 * The analysis job of a distributed census: reads the replies topic that probers and replays
 * publish, in event time (capture time, watermarks per partition), runs the census, and writes the
 * tables to the database and, when configured, to upsert topics. Exactly once end to end with
 * checkpointing: Kafka offsets are part of the checkpoint, table topics are written in
 * transactions, and database writes are idempotent upserts of absolute values.
 */
public final class AnalysisJob {
    private final Source<CensusInput, ?, ?> source;
    private final List<? extends CensusOutput> outputs;
    private final Configuration conf;
    private RememberedCensus remembered;

    /**
     * @param outputs where the census tables go
     */
    public AnalysisJob(
            Source<CensusInput, ?, ?> source,
            List<? extends CensusOutput> outputs,
            Configuration conf) {
        this.source = source;
        this.outputs = outputs;
        this.conf = conf;
    }

    /**
     * The job for the {@link KafkaOptions} of a configuration: the replies topic into {@code
     * output}, and into the table topics too when {@link KafkaOptions#TABLE_TOPIC_PREFIX} is set.
     */
    public static AnalysisJob fromConfiguration(CensusOutput output, Configuration conf) {
        List<CensusOutput> outputs = new java.util.ArrayList<>(List.of(output));
        outputs.addAll(TableTopics.fromConfiguration(conf));
        return new AnalysisJob(ReplyTopic.source(conf), outputs, conf);
    }

    /**
     * Makes a continuous job continue what the census remembers of earlier runs ({@link
     * RememberedCensus}); a bounded job continues the census when it ends instead.
     */
    public AnalysisJob remembering(RememberedCensus remembered) {
        this.remembered = remembered;
        return this;
    }

    /** Builds the job graph on an environment. */
    public void build(StreamExecutionEnvironment env) {
        DataStream<CensusInput> records =
                env.fromSource(source, watermarks(conf), "replies-topic").uid("replies-topic");
        CensusStreams census =
                CensusPipeline.buildInto(
                        outputs, records, conf, source.getBoundedness(), remembered);
    }

    /**
     * Event time of the analysis. A backfill (bounded) has no watermark until its end unless an
     * out-of-orderness is given, so no row is late whatever the order of the topic; a continuous
     * analysis trails the latest capture time by the out-of-orderness.
     */
    static WatermarkStrategy<CensusInput> watermarks(Configuration conf) {
        if (conf.get(KafkaOptions.BOUNDED)
                && conf.getOptional(KafkaOptions.OUT_OF_ORDERNESS).isEmpty()) {
            return WatermarkStrategy.noWatermarks();
        }
        return CensusPipeline.captureTime(conf.get(KafkaOptions.OUT_OF_ORDERNESS));
    }

    /** Prepares the outputs and runs the job (to its end when the source is bounded). */
    public JobExecutionResult run() throws Exception {
        return JobEnvironment.run(conf, outputs, this::build, "mpcensus analyze");
    }

    /** Prepares the outputs and starts the job without waiting. */
    public JobClient start(StreamExecutionEnvironment env) throws Exception {
        CensusOutput.prepareAll(outputs);
        build(env);
        return env.executeAsync("mpcensus analyze");
    }
}
