package org.mpcensus.job;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.mpcensus.job.kafka.KafkaOptions;
import org.mpcensus.job.kafka.ReplyTopic;
import org.mpcensus.job.kafka.TableTopics;
import org.mpcensus.job.output.CensusStreams;
import org.mpcensus.job.sink.CensusSinks;
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
    private final CensusSinks sinks;
    private final TableTopics topics;
    private final Configuration conf;

    /**
     * @param topics the table topics, or null for none
     */
    public AnalysisJob(
            Source<CensusInput, ?, ?> source,
            CensusSinks sinks,
            TableTopics topics,
            Configuration conf) {
        this.source = source;
        this.sinks = sinks;
        this.topics = topics;
        this.conf = conf;
    }

    /** The job for the {@link KafkaOptions} of a configuration. */
    public static AnalysisJob fromConfiguration(CensusSinks sinks, Configuration conf) {
        return new AnalysisJob(
                ReplyTopic.source(conf), sinks, TableTopics.fromConfiguration(conf), conf);
    }

    /** Builds the job graph on an environment. */
    public void build(StreamExecutionEnvironment env) {
        DataStream<CensusInput> records =
                env.fromSource(source, watermarks(conf), "replies-topic").uid("replies-topic");
        CensusStreams census =
                CensusPipeline.build(
                        records, conf, source.getBoundedness() == Boundedness.CONTINUOUS_UNBOUNDED);
        sinks.writeAll(census);
        if (topics != null) {
            topics.writeAll(census);
        }
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

    /** Creates the schema and runs the job (to its end when the source is bounded). */
    public JobExecutionResult run() throws Exception {
        sinks.database().createSchema();
        StreamExecutionEnvironment env = ReplayJob.environment(conf);
        build(env);
        return env.execute("mpcensus analyze");
    }

    /** Creates the schema and starts the job without waiting. */
    public JobClient start(StreamExecutionEnvironment env) throws Exception {
        sinks.database().createSchema();
        build(env);
        return env.executeAsync("mpcensus analyze");
    }
}
