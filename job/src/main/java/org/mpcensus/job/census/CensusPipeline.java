package org.mpcensus.job.census;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.mpcensus.job.output.CensusOutput;
import org.mpcensus.job.output.CensusStreams;
import org.mpcensus.job.output.RememberedCensus;
import org.mpcensus.job.runtime.CensusOptions;
import org.mpcensus.job.runtime.ClassifiedReplyJson;
import org.mpcensus.job.runtime.ListStream;
import org.mpcensus.job.runtime.RunStatistics;
import org.mpcensus.probe.event.CaptureTime;
import org.mpcensus.probe.event.CensusInput;
import org.mpcensus.probe.event.DeadLetter;
import org.mpcensus.udf.aggregate.CountAggregator;
import org.mpcensus.udf.aggregate.CountDelta;
import org.mpcensus.udf.aggregate.CountRow;
import org.mpcensus.udf.aggregate.HostEvent;
import org.mpcensus.udf.aggregate.HostTracker;
import org.mpcensus.udf.aggregate.LateReply;
import org.mpcensus.udf.aggregate.PlainFold;
import org.mpcensus.udf.aggregate.ResponderCounter;
import org.mpcensus.udf.aggregate.ResponderDelta;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.classify.ClassifiedReply;
import org.mpcensus.udf.classify.ClassifyFunction;
import org.mpcensus.udf.enrich.Enrichment;
import org.mpcensus.udf.enrich.EnrichmentOptions;
import org.mpcensus.udf.host.HostRow;
import org.mpcensus.udf.keys.DuplicateKeyTracker;
import org.mpcensus.udf.keys.KeyTestRow;
import org.mpcensus.udf.keys.KeyWeightAggregator;
import org.mpcensus.udf.keys.KeyWeightDelta;
import org.mpcensus.udf.overlap.OverlapAggregator;
import org.mpcensus.udf.overlap.OverlapDelta;
import org.mpcensus.udf.overlap.OverlapRow;
import org.mpcensus.udf.overlap.OverlapTracker;
import org.mpcensus.udf.window.ConsistencyRow;
import org.mpcensus.udf.window.ConsistencyWindow;
import org.mpcensus.udf.window.HostIdentity;

/**
 * The census dataflow, independent of where records come from and where results go: classify and
 * route dead letters, enrich with the origin AS; then two paths. Replies without MP_CAPABLE (the
 * plain path, almost all of them) are folded into exact address sets where they were read and
 * merged per count key ({@link PlainFold}, {@link ResponderCounter}); the others (the MPTCP path)
 * track hosts per month with per-host state; together they count hosts and replies per (month, IP
 * version, port, probed version, AS, classification), keep each host's consistency over a window of
 * months, and count port overlap, version overlap and migration.
 */
public final class CensusPipeline {
    private CensusPipeline() {}

    /**
     * Event time of the census: a reply's capture time (a dead letter keeps the time its source
     * gave it), with watermarks {@code outOfOrderness} behind the latest.
     */
    public static WatermarkStrategy<CensusInput> captureTime(Duration outOfOrderness) {
        return WatermarkStrategy.<CensusInput>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner(
                        (r, sourceTime) ->
                                r.reply() != null
                                        ? r.reply().captureTimeMicros() / 1000
                                        : sourceTime);
    }

    /**
     * Builds the census with the {@link CensusOptions} of a configuration.
     *
     * @param continuous whether the records never end: then the enrichment tables are reloaded
     *     while the job runs (every {@link CensusOptions#RELOAD_INTERVAL}); a bounded job reads
     *     them once, so that it still ends
     */
    public static CensusStreams build(
            DataStream<CensusInput> records, Configuration conf, boolean continuous) {
        return build(records, conf, continuous, null);
    }

    /**
     * Builds the census of a source's records (continuous when the source is unbounded) and writes
     * every census table to every output.
     */
    public static CensusStreams buildInto(
            List<? extends CensusOutput> outputs,
            DataStream<CensusInput> records,
            Configuration conf,
            Boundedness sourceBoundedness,
            RememberedCensus remembered) {
        CensusStreams census =
                build(
                        records,
                        conf,
                        sourceBoundedness == Boundedness.CONTINUOUS_UNBOUNDED,
                        remembered);
        CensusOutput.writeAll(outputs, census);
        return census;
    }

    /**
     * The same, continuing what the census remembers of earlier runs (a continuous job started
     * without state over an existing census; see {@link RememberedCensus}).
     *
     * @param remembered what the job takes in from the census's memory, or null for a bounded run
     *     (which continues the census when it ends)
     */
    public static CensusStreams build(
            DataStream<CensusInput> records,
            Configuration conf,
            boolean continuous,
            RememberedCensus remembered) {
        String asnTableFile = conf.getOptional(EnrichmentOptions.ASN_TABLE).orElse(null);
        String countryDb = conf.getOptional(EnrichmentOptions.COUNTRY_DB).orElse(null);
        Duration reload = continuous ? conf.get(EnrichmentOptions.RELOAD_INTERVAL) : Duration.ZERO;
        SingleOutputStreamOperator<ClassifiedReply> classified =
                records.process(new ClassifyFunction()).name("classify").uid("classify");
        DataStream<ClassifiedReply> counted =
                classified
                        .map(new RunStatistics.CountReplies())
                        .returns(ClassifiedReply.class)
                        .name("count-replies")
                        .uid("count-replies");
        // A continuous job reloads the tables on a broadcast of their versions; a bounded one
        // reads them once, in an operator chained to the source (no exchange per reply).
        DataStream<ClassifiedReply> enriched =
                continuous
                        ? counted.connect(
                                        EnrichmentVersions.of(
                                                records, asnTableFile, countryDb, reload))
                                .process(new Enrichment(asnTableFile, countryDb))
                                .name("enrich")
                                .uid("enrich")
                        : counted.map(new Enrichment.Once(asnTableFile, countryDb))
                                .name("enrich")
                                .uid("enrich");
        return census(
                enriched,
                classified
                        .getSideOutput(ClassifyFunction.DEAD_LETTERS)
                        .map(new RunStatistics.CountDeadLetters(false))
                        .returns(DeadLetter.class)
                        .name("count-dead-letters")
                        .uid("count-dead-letters"),
                conf,
                remembered);
    }

    /**
     * The census of classified, enriched replies: what {@link #build} makes of records, and what a
     * run that continues the census makes of the replies the census keeps.
     *
     * @param badInput dead letters of the records, or null
     */
    public static CensusStreams census(
            DataStream<ClassifiedReply> enriched,
            DataStream<DeadLetter> badInput,
            Configuration conf) {
        return census(enriched, badInput, conf, null);
    }

    /**
     * The same, with what the census remembers of earlier runs taken in as input of the operators
     * but not of the memory (see {@link RememberedCensus}): the job's rows are the census's.
     *
     * @param remembered the census's memory to continue, or null
     */
    public static CensusStreams census(
            DataStream<ClassifiedReply> enriched,
            DataStream<DeadLetter> badInput,
            Configuration conf,
            RememberedCensus remembered) {
        Duration emitInterval = conf.get(CensusOptions.EMIT_INTERVAL);
        double keyTestAlpha = conf.get(CensusOptions.KEY_TEST_ALPHA);
        int lateness = conf.get(CensusOptions.LATENESS_MONTHS);
        ConsistencyWindow consistencyWindow =
                new ConsistencyWindow(
                        conf.get(CensusOptions.CONSISTENCY_WINDOW),
                        conf.get(CensusOptions.TRANSIENT_BELOW),
                        lateness);
        List<Integer> overlapPorts = conf.get(CensusOptions.OVERLAP_PORTS);
        if (overlapPorts.size() != 2) {
            throw new IllegalArgumentException(
                    CensusOptions.OVERLAP_PORTS.key() + " takes two ports, not " + overlapPorts);
        }
        // The census's memory of earlier runs, when a continuous job continues it: bounded
        // sources whose watermark holds the job's back until they are read.
        DataStream<ClassifiedReply> rememberedReplies = null;
        DataStream<ResponderDelta> rememberedPlain = null;
        DataStream<ClassifiedReply> all = enriched;
        if (remembered != null) {
            // The graph is the same whether or not anything is remembered (a job restored from
            // its state takes in nothing again).
            StreamExecutionEnvironment env = enriched.getExecutionEnvironment();
            rememberedReplies =
                    ListStream.of(
                            env,
                            remembered.replies(),
                            TypeInformation.of(ClassifiedReply.class),
                            "remembered-replies");
            rememberedPlain =
                    ListStream.of(
                            env,
                            remembered.plain(),
                            TypeInformation.of(ResponderDelta.class),
                            "remembered-responders");
            all = enriched.union(rememberedReplies);
        }
        // A key another address returned in the same month makes a candidate a SUSPECT_KEY.
        DataStream<HostEvent> notices =
                all.filter(
                                r ->
                                        r.classification() == Classification.CANDIDATE
                                                && r.senderKey() != null)
                        .name("keyed-candidates")
                        .uid("keyed-candidates")
                        .keyBy(DuplicateKeyTracker::keyOf)
                        .process(new DuplicateKeyTracker(lateness))
                        .name("duplicate-keys")
                        .uid("duplicate-keys")
                        .map(n -> HostEvent.of(n))
                        .returns(HostEvent.class)
                        .name("notices")
                        .uid("notices");
        // The plain path: replies without MP_CAPABLE are folded into exact address sets per
        // count key in the subtask that read them; only the sets cross the network.
        SingleOutputStreamOperator<ResponderDelta> plain =
                enriched.filter(r -> r.classification() == Classification.NOT_MPTCP)
                        .name("plain-replies")
                        .uid("plain-replies")
                        .transform(
                                "plain-fold",
                                TypeInformation.of(ResponderDelta.class),
                                new PlainFold(emitInterval, lateness))
                        .uid("plain-fold");
        // The MPTCP path: per-host state for hosts that sent MP_CAPABLE (or a malformed option).
        DataStream<ClassifiedReply> mptcpPath =
                enriched.filter(r -> r.classification() != Classification.NOT_MPTCP)
                        .name("mptcp-path-replies")
                        .uid("mptcp-path-replies");
        DataStream<HostEvent> replies =
                (rememberedReplies == null ? mptcpPath : mptcpPath.union(rememberedReplies))
                        .map(r -> HostEvent.of(r))
                        .returns(HostEvent.class)
                        .name("replies")
                        .uid("replies");
        SingleOutputStreamOperator<HostRow> hosts =
                replies.union(notices)
                        .keyBy(HostEvent::host)
                        // A host-month changes a few times (a reply per scan), so its row is
                        // emitted on every change: no flush timer per host, and downstream sees
                        // it at once.
                        .process(new HostTracker(Duration.ZERO, lateness))
                        .name("hosts")
                        .uid("hosts");
        DataStream<CountDelta> deltas = hosts.getSideOutput(HostTracker.COUNT_DELTAS);
        SingleOutputStreamOperator<CountRow> responders =
                (rememberedPlain == null
                                ? plain.union(hosts.getSideOutput(HostTracker.MPTCP_HOSTS))
                                : plain.union(
                                        hosts.getSideOutput(HostTracker.MPTCP_HOSTS),
                                        rememberedPlain))
                        .keyBy(ResponderDelta::key)
                        .process(new ResponderCounter(emitInterval, lateness))
                        .name("responders")
                        .uid("responders");
        DataStream<CountRow> counts =
                deltas.keyBy(CountDelta::key)
                        .process(new CountAggregator(emitInterval, lateness))
                        .name("counts")
                        .uid("counts")
                        .union(responders);
        DataStream<ConsistencyRow> consistency =
                hosts.keyBy(HostIdentity::of)
                        .process(consistencyWindow)
                        .name("consistency")
                        .uid("consistency");
        DataStream<KeyTestRow> keyTests =
                hosts.getSideOutput(HostTracker.KEY_WEIGHTS)
                        .keyBy(KeyWeightDelta::key)
                        .process(new KeyWeightAggregator(emitInterval, keyTestAlpha, lateness))
                        .name("key-tests")
                        .uid("key-tests");
        DataStream<OverlapRow> overlap =
                hosts.keyBy(HostRow::host)
                        .process(
                                new OverlapTracker(
                                        overlapPorts.get(0), overlapPorts.get(1), lateness))
                        .name("overlap-hosts")
                        .uid("overlap-hosts")
                        .keyBy(OverlapDelta::key)
                        .process(new OverlapAggregator(emitInterval, lateness))
                        .name("overlap")
                        .uid("overlap");
        // A reply later than the lateness allows is not applied, but kept with the bad input.
        DataStream<DeadLetter> late =
                hosts.getSideOutput(HostTracker.LATE_REPLIES)
                        .union(plain.getSideOutput(HostTracker.LATE_REPLIES))
                        .map(CensusPipeline::deadLetter)
                        .returns(DeadLetter.class)
                        .name("late-replies")
                        .uid("late-replies")
                        .map(new RunStatistics.CountDeadLetters(true))
                        .returns(DeadLetter.class)
                        .name("count-late")
                        .uid("count-late");
        if (remembered != null) {
            // Rows of a loaded month whose window or migration reaches before what was loaded
            // would be short: the census holds them already.
            Set<String> withoutWindow = remembered.withoutWindow();
            Set<String> withoutMigration = remembered.withoutMigration();
            consistency =
                    consistency
                            .filter(r -> !withoutWindow.contains(r.month()))
                            .name("remembered-windows")
                            .uid("remembered-windows");
            overlap =
                    overlap.filter(r -> !withoutMigration.contains(r.key().scope().month()))
                            .name("remembered-migrations")
                            .uid("remembered-migrations");
        }
        return new CensusStreams(
                enriched,
                hosts,
                counts,
                consistency,
                keyTests,
                overlap,
                badInput == null ? late : badInput.union(late),
                mptcpPath,
                responders.getSideOutput(ResponderCounter.PLAIN_RESPONDERS));
    }

    /** The reason of every reply that came later than the lateness allows starts with this. */
    public static final String PAST_LATENESS = "past lateness";

    /** A late reply as a dead letter: the reply as JSON, with the watermark it came after. */
    static DeadLetter deadLetter(LateReply late) {
        ClassifiedReply r = late.reply();
        return new DeadLetter(
                r.scanId() == null ? "census" : r.scanId(),
                "reply of "
                        + r.host()
                        + " port "
                        + r.port()
                        + " v"
                        + r.probedVersion()
                        + " at "
                        + CaptureTime.format(r.captureTimeMicros()),
                PAST_LATENESS
                        + " (watermark "
                        + Instant.ofEpochMilli(late.watermarkMillis())
                        + ", month "
                        + r.month()
                        + ", lateness "
                        + late.latenessMonths()
                        + " month(s)): not counted; a longer mpcensus.lateness-months or"
                        + " out-of-orderness would have taken it",
                ClassifiedReplyJson.write(r).getBytes(StandardCharsets.UTF_8),
                r.captureTimeMicros());
    }
}
