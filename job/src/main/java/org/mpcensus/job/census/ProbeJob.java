package org.mpcensus.job.census;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.mpcensus.job.http.HttpCategories;
import org.mpcensus.job.http.HttpStage;
import org.mpcensus.job.output.CensusOutput;
import org.mpcensus.job.output.CensusStreams;
import org.mpcensus.job.output.RememberedCensus;
import org.mpcensus.job.path.PathRow;
import org.mpcensus.job.path.PathStage;
import org.mpcensus.job.path.PathTables;
import org.mpcensus.job.runtime.CensusOptions;
import org.mpcensus.job.runtime.JobEnvironment;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.DatabaseOutput;
import org.mpcensus.job.sink.JsonLinesFileSink;
import org.mpcensus.probe.archive.ReplyArchiveJson;
import org.mpcensus.probe.event.CensusInput;
import org.mpcensus.probe.event.ProbeReply;
import org.mpcensus.probe.http.HttpOptions;
import org.mpcensus.probe.path.PathOptions;
import org.mpcensus.probe.source.ProbeSource;
import org.mpcensus.probe.source.plan.ProbeSourceOptions;
import org.mpcensus.probe.source.plan.ScanPlan;

/**
 * The live census: the {@link ProbeSource} prober feeding the census pipeline and its outputs, with
 * path verification of the hosts it finds when {@link PathOptions#ENABLED} ({@link PathStage}),
 * HTTP(S) timing of them when {@link HttpOptions#ENABLED} ({@link HttpStage}), and optionally
 * archiving every reply in mpcensus's JSON Lines format for later replay. A scan that only
 * publishes its replies is a {@link PublishJob}.
 */
public final class ProbeJob {
    private final ProbeSource source;
    private final List<? extends CensusOutput> outputs;
    private final Configuration conf;
    private int httpRunsFrom;
    private RememberedCensus remembered;

    /**
     * @param outputs where the census tables go
     */
    public ProbeJob(ProbeSource source, List<? extends CensusOutput> outputs, Configuration conf) {
        this.source = source;
        this.outputs = outputs;
        this.conf = conf;
    }

    /**
     * The scan of a configuration's {@code mpcensus.probe.*} options, into the census tables of
     * {@code mpcensus.sink.url}.
     *
     * @throws IllegalArgumentException when the scan has no targets, interface or source address
     */
    public static ProbeJob fromConfiguration(Configuration conf) throws java.io.IOException {
        ProbeSource source = ProbeSource.of(ScanPlan.fromConfiguration(conf));
        return new ProbeJob(
                source,
                List.of(new DatabaseOutput(CensusDatabase.fromConfiguration(conf), conf)),
                conf);
    }

    /**
     * The prober's replies in event time (capture time, 5 s out of order), archived too when {@link
     * CensusOptions#ARCHIVE} names a file.
     */
    static DataStream<ProbeReply> replies(
            StreamExecutionEnvironment env, ProbeSource source, Configuration conf) {
        long shift = conf.get(ProbeSourceOptions.TIME_SHIFT).toNanos() / 1000;
        WatermarkStrategy<ProbeReply> captureTime =
                WatermarkStrategy.<ProbeReply>forBoundedOutOfOrderness(Duration.ofSeconds(5))
                        .withTimestampAssigner((r, t) -> r.captureTimeMicros() / 1000);
        DataStream<ProbeReply> replies =
                shift == 0
                        ? env.fromSource(source, captureTime, "prober").uid("prober")
                        : env.fromSource(source, WatermarkStrategy.noWatermarks(), "prober")
                                .uid("prober")
                                .map(
                                        r ->
                                                new ProbeReply(
                                                        r.captureTimeMicros() + shift,
                                                        r.vantage(),
                                                        r.scanId(),
                                                        r.probe(),
                                                        r.reply()))
                                .name("time-shift")
                                .uid("time-shift")
                                .assignTimestampsAndWatermarks(captureTime)
                                .name("capture-time")
                                .uid("capture-time");
        conf.getOptional(CensusOptions.ARCHIVE)
                .ifPresent(
                        file ->
                                replies.sinkTo(
                                                new JsonLinesFileSink<>(
                                                        file, ReplyArchiveJson::write))
                                        .name("archive")
                                        .uid("archive")
                                        .setParallelism(1));
        return replies;
    }

    /**
     * Makes a continuous job continue what the census remembers of earlier runs ({@link
     * RememberedCensus}); a bounded job continues the census when it ends instead.
     */
    public ProbeJob remembering(RememberedCensus remembered) {
        this.remembered = remembered;
        return this;
    }

    /**
     * Numbers the job's HTTP timing runs from {@code first}: after the runs the census holds, so
     * that they add to them; returns this job.
     */
    public ProbeJob httpRunsFrom(int first) {
        this.httpRunsFrom = first;
        return this;
    }

    /** Builds the job graph on an environment. */
    public void build(StreamExecutionEnvironment env) {
        DataStream<ProbeReply> replies = replies(env, source, conf);
        DataStream<CensusInput> records =
                replies.map(CensusInput::of).name("as-record").uid("as-record");
        CensusStreams census =
                CensusPipeline.buildInto(
                        outputs, records, conf, source.getBoundedness(), remembered);
        DataStream<PathRow> paths = null;
        if (conf.get(PathOptions.ENABLED)) {
            paths =
                    PathStage.verify(
                            PathStage.requests(census.replies(), PathStage.classes(conf)),
                            source.plan(),
                            conf,
                            conf.get(CensusOptions.LATENESS_MONTHS));
            CensusOutput.writeAll(outputs, PathTables.PATHS, paths);
        }
        if (conf.get(HttpOptions.ENABLED)) {
            HttpCategories categories = HttpCategories.of(conf);
            HttpStage.timeInto(
                    outputs,
                    paths == null
                            ? HttpStage.targets(census.replies(), categories)
                            : HttpStage.targetsOfPaths(paths, categories),
                    source.plan().safety(),
                    conf,
                    httpRunsFrom);
        }
    }

    /** Prepares the outputs and runs the scan to its end. */
    public JobExecutionResult run() throws Exception {
        return JobEnvironment.run(
                conf, outputs, this::build, "mpcensus probe " + source.plan().scanId());
    }

    /** Prepares the outputs and starts the scan without waiting. */
    public JobClient start(StreamExecutionEnvironment env) throws Exception {
        CensusOutput.prepareAll(outputs);
        build(env);
        return env.executeAsync("mpcensus probe " + source.plan().scanId());
    }
}
