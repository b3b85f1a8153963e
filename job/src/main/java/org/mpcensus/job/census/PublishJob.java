package org.mpcensus.job.census;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.mpcensus.job.kafka.KafkaOptions;
import org.mpcensus.job.kafka.ReplyTopic;
import org.mpcensus.job.kafka.TableTopics;
import org.mpcensus.job.runtime.CensusOptions;
import org.mpcensus.job.runtime.JobEnvironment;
import org.mpcensus.job.schema.CensusTables;
import org.mpcensus.probe.event.CensusInput;
import org.mpcensus.probe.event.DeadLetter;
import org.mpcensus.probe.event.ProbeReply;
import org.mpcensus.probe.source.ProbeSource;

/**
 * Publishing: a replay or a scan writes its replies to the replies topic ({@link
 * KafkaOptions#REPLIES_TOPIC}), and a replay its bad input to the dead-letters topic, for an {@link
 * AnalysisJob} elsewhere. No census is built here. Exactly once: the topics are written in Kafka
 * transactions committed on checkpoints.
 */
public final class PublishJob {
    private PublishJob() {}

    /** Publishes an archive replay and waits for its end. */
    public static JobExecutionResult replay(FileSource<CensusInput> source, Configuration conf)
            throws Exception {
        StreamExecutionEnvironment env = JobEnvironment.of(conf);
        DataStream<CensusInput> records =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "archive")
                        .uid("archive-source");
        records.filter(r -> r.reply() != null)
                .name("replies-only")
                .uid("replies-only")
                .map(CensusInput::reply)
                .returns(ProbeReply.class)
                .name("reply")
                .uid("reply")
                .sinkTo(ReplyTopic.sink(conf, "replay"))
                .name("replies-topic")
                .uid("replies-topic");
        records.filter(r -> r.deadLetter() != null)
                .name("dead-letters-only")
                .uid("dead-letters-only")
                .map(CensusInput::deadLetter)
                .returns(DeadLetter.class)
                .name("dead-letter")
                .uid("dead-letter")
                .sinkTo(
                        new TableTopics(conf)
                                .sink(
                                        CensusTables.DEAD_LETTERS,
                                        conf.get(KafkaOptions.DEAD_LETTERS_TOPIC)))
                .name("dead-letters-topic")
                .uid("dead-letters-topic");
        return env.execute("mpcensus replay (publish)");
    }

    /** Publishes a scan's replies (archived too with {@link CensusOptions#ARCHIVE}). */
    public static JobExecutionResult probe(ProbeSource source, Configuration conf)
            throws Exception {
        StreamExecutionEnvironment env = JobEnvironment.of(conf);
        ProbeJob.replies(env, source, conf)
                .sinkTo(ReplyTopic.sink(conf, "probe"))
                .name("replies-topic")
                .uid("replies-topic");
        return env.execute("mpcensus probe " + source.plan().scanId() + " (publish)");
    }
}
