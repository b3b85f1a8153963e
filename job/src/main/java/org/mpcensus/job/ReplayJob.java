package org.mpcensus.job;

import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.mpcensus.job.kafka.KafkaOptions;
import org.mpcensus.job.kafka.ReplyTopic;
import org.mpcensus.job.kafka.TableTopics;
import org.mpcensus.job.output.CensusStreams;
import org.mpcensus.job.sink.CensusSinks;
import org.mpcensus.job.sink.CensusTables;
import org.mpcensus.job.sink.JsonLinesFileSink;
import org.mpcensus.probe.archive.ArchiveFormat;
import org.mpcensus.probe.archive.ArchiveOptions;
import org.mpcensus.probe.archive.ArchiveSettings;
import org.mpcensus.probe.archive.ArchiveSource;
import org.mpcensus.probe.event.CensusInput;
import org.mpcensus.probe.event.DeadLetter;
import org.mpcensus.probe.event.ProbeReply;

/**
 * Replays archives (ZMap CSV, pcap/pcapng, mpcensus JSON Lines) through the census into the sinks.
 * Takes its source and sinks as parameters, so tests and other entry points can swap them. With
 * {@link KafkaOptions#PUBLISH} it publishes the archive to the replies topic instead, for a
 * backfill through an {@link AnalysisJob}.
 */
public final class ReplayJob {
    private final FileSource<CensusInput> source;
    private final CensusSinks sinks;
    private final Configuration conf;

    public ReplayJob(FileSource<CensusInput> source, CensusSinks sinks, Configuration conf) {
        this.source = source;
        this.sinks = sinks;
        this.conf = conf;
    }

    /** The replay source for files, configured by {@link ArchiveOptions}. */
    public static FileSource<CensusInput> sourceFor(List<String> files, Configuration conf) {
        ArchiveSource.Builder b =
                ArchiveSource.builder()
                        .settings(ArchiveSettings.fromConfiguration(conf))
                        .splitBytes(conf.get(ArchiveOptions.SPLIT_BYTES).getBytes())
                        .paths(files.toArray(new String[0]));
        conf.getOptional(ArchiveOptions.FORMAT).map(ArchiveFormat::of).ifPresent(b::format);
        conf.getOptional(ArchiveOptions.WATCH).ifPresent(b::watch);
        return b.build();
    }

    /**
     * The execution environment: Kryo fallback off, object reuse on, everything else from {@code
     * conf}. With {@code execution.target: remote} (and {@code rest.address}, {@code rest.port})
     * the job is submitted to that running cluster, whose classpath must hold mpcensus's classes;
     * otherwise it runs where it is built (a local MiniCluster, or the cluster that runs the entry
     * point).
     */
    public static StreamExecutionEnvironment environment(Configuration conf) {
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
        return StreamExecutionEnvironment.getExecutionEnvironment(c);
    }

    /** The execution target of a running session cluster reached through its REST endpoint. */
    public static final String REMOTE = "remote";

    /** Builds the job graph on an environment. */
    public void build(StreamExecutionEnvironment env) {
        DataStream<CensusInput> records =
                env.fromSource(
                                source,
                                conf.getOptional(CensusOptions.REPLAY_OUT_OF_ORDERNESS)
                                        .map(CensusPipeline::captureTime)
                                        .orElse(WatermarkStrategy.noWatermarks()),
                                "archive")
                        .uid("archive-source");
        if (conf.get(KafkaOptions.PUBLISH)) {
            publish(records);
            return;
        }
        CensusStreams census =
                CensusPipeline.build(
                        records, conf, source.getBoundedness() == Boundedness.CONTINUOUS_UNBOUNDED);
        sinks.writeAll(census);
        conf.getOptional(CensusOptions.EMIT_REPLIES)
                .ifPresent(
                        file ->
                                census.replies()
                                        .sinkTo(
                                                new JsonLinesFileSink<>(
                                                        file, ClassifiedReplyJson::write))
                                        .name("emit-replies")
                                        .uid("emit-replies")
                                        .setParallelism(1));
    }

    /** Publishes the replies to the replies topic and the bad input to the dead-letters topic. */
    private void publish(DataStream<CensusInput> records) {
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
        DataStream<DeadLetter> letters =
                records.filter(r -> r.deadLetter() != null)
                        .name("dead-letters-only")
                        .uid("dead-letters-only")
                        .map(CensusInput::deadLetter)
                        .returns(DeadLetter.class)
                        .name("dead-letter")
                        .uid("dead-letter");
        letters.sinkTo(
                        new TableTopics(conf)
                                .sink(
                                        CensusTables.DEAD_LETTERS,
                                        conf.get(KafkaOptions.DEAD_LETTERS_TOPIC)))
                .name("dead-letters-topic")
                .uid("dead-letters-topic");
    }

    /** Creates the schema, then runs the replay to its end. */
    public JobExecutionResult run() throws Exception {
        if (!conf.get(KafkaOptions.PUBLISH)) {
            sinks.database().createSchema();
        }
        StreamExecutionEnvironment env = environment(conf);
        build(env);
        return env.execute("mpcensus replay");
    }
}
