package org.mpcensus.job.census;

import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.mpcensus.job.output.CensusOutput;
import org.mpcensus.job.output.CensusStreams;
import org.mpcensus.job.output.RememberedCensus;
import org.mpcensus.job.runtime.CensusOptions;
import org.mpcensus.job.runtime.ClassifiedReplyJson;
import org.mpcensus.job.runtime.JobEnvironment;
import org.mpcensus.job.sink.JsonLinesFileSink;
import org.mpcensus.probe.archive.ArchiveFormat;
import org.mpcensus.probe.archive.ArchiveOptions;
import org.mpcensus.probe.archive.ArchiveSettings;
import org.mpcensus.probe.archive.ArchiveSource;
import org.mpcensus.probe.event.CensusInput;

/**
 * Replays archives (ZMap CSV, pcap/pcapng, mpcensus JSON Lines) through the census into its
 * outputs. Takes its source and outputs as parameters, so tests and other entry points can swap
 * them. A replay that publishes the archive to the replies topic instead, for a backfill through an
 * {@link AnalysisJob}, is a {@link PublishJob}.
 */
public final class ReplayJob {
    private final FileSource<CensusInput> source;
    private final List<? extends CensusOutput> outputs;
    private final Configuration conf;
    private RememberedCensus remembered;

    /**
     * @param outputs where the census tables go
     */
    public ReplayJob(
            FileSource<CensusInput> source,
            List<? extends CensusOutput> outputs,
            Configuration conf) {
        this.source = source;
        this.outputs = outputs;
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
     * Makes a continuous job continue what the census remembers of earlier runs ({@link
     * RememberedCensus}); a bounded job continues the census when it ends instead.
     */
    public ReplayJob remembering(RememberedCensus remembered) {
        this.remembered = remembered;
        return this;
    }

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
        CensusStreams census =
                CensusPipeline.buildInto(
                        outputs, records, conf, source.getBoundedness(), remembered);
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

    /** Prepares the outputs, then runs the replay to its end. */
    public JobExecutionResult run() throws Exception {
        return JobEnvironment.run(conf, outputs, this::build, "mpcensus replay");
    }
}
