package org.mpcensus.job;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.mpcensus.probe.event.ArchiveRecord;
import org.mpcensus.probe.event.DeadLetter;
import org.mpcensus.udf.aggregate.CountAggregator;
import org.mpcensus.udf.aggregate.CountDelta;
import org.mpcensus.udf.aggregate.CountRow;
import org.mpcensus.udf.aggregate.HostEvent;
import org.mpcensus.udf.aggregate.HostRow;
import org.mpcensus.udf.aggregate.HostTracker;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.classify.ClassifiedReply;
import org.mpcensus.udf.classify.ClassifyFunction;
import org.mpcensus.udf.enrich.AsnEnrichment;
import org.mpcensus.udf.enrich.CountryEnrichment;
import org.mpcensus.udf.keys.DuplicateKeyTracker;
import org.mpcensus.udf.keys.KeyTestRow;
import org.mpcensus.udf.keys.KeyWeightAggregator;
import org.mpcensus.udf.keys.KeyWeightDelta;
import org.mpcensus.udf.window.ConsistencyRow;
import org.mpcensus.udf.window.ConsistencyWindow;
import org.mpcensus.udf.window.HostIdentity;

/**
 * The census dataflow, independent of where records come from and where results go: classify and
 * route dead letters, enrich with the origin AS, track hosts per month, count hosts and replies per
 * (month, IP version, port, probed version, AS, classification), and keep each host's consistency
 * over a window of months.
 */
public final class CensusPipeline {
    private CensusPipeline() {}

    /** The streams the census produces. */
    public record Streams(
            DataStream<ClassifiedReply> replies,
            DataStream<HostRow> hosts,
            DataStream<CountRow> counts,
            DataStream<ConsistencyRow> consistency,
            DataStream<KeyTestRow> keyTests,
            DataStream<DeadLetter> deadLetters) {}

    /** Builds the census with the {@link CensusOptions} of a configuration. */
    public static Streams build(DataStream<ArchiveRecord> records, Configuration conf) {
        return build(
                records,
                conf.getOptional(CensusOptions.ASN_TABLE).orElse(null),
                conf.getOptional(CensusOptions.COUNTRY_DB).orElse(null),
                conf.get(CensusOptions.EMIT_INTERVAL),
                conf.get(CensusOptions.KEY_TEST_ALPHA),
                new ConsistencyWindow(
                        conf.get(CensusOptions.CONSISTENCY_WINDOW),
                        conf.get(CensusOptions.TRANSIENT_BELOW),
                        conf.get(CensusOptions.LATENESS_MONTHS)));
    }

    /**
     * Builds the census over a stream of records.
     *
     * @param asnTableFile a pyasn or pfx2as file, or null
     * @param countryDb a MaxMind Country mmdb, or null
     * @param emitInterval how often changing rows are emitted (0: every change)
     * @param keyTestAlpha significance of the per-AS key-weight test
     * @param consistencyWindow the per-host consistency function
     */
    public static Streams build(
            DataStream<ArchiveRecord> records,
            String asnTableFile,
            String countryDb,
            Duration emitInterval,
            double keyTestAlpha,
            ConsistencyWindow consistencyWindow) {
        SingleOutputStreamOperator<ClassifiedReply> classified =
                records.process(new ClassifyFunction()).name("classify").uid("classify");
        DataStream<ClassifiedReply> enriched =
                classified
                        .map(new AsnEnrichment(asnTableFile))
                        .name("enrich-asn")
                        .uid("enrich-asn");
        if (countryDb != null) {
            enriched =
                    enriched.map(new CountryEnrichment(countryDb))
                            .name("enrich-country")
                            .uid("enrich-country");
        }
        // A key another address returned in the same month makes a candidate a SUSPECT_KEY.
        DataStream<HostEvent> notices =
                enriched.filter(
                                r ->
                                        r.classification() == Classification.CANDIDATE
                                                && r.senderKey() != null)
                        .name("keyed-candidates")
                        .uid("keyed-candidates")
                        .keyBy(DuplicateKeyTracker::keyOf)
                        .process(new DuplicateKeyTracker())
                        .name("duplicate-keys")
                        .uid("duplicate-keys")
                        .map(n -> HostEvent.of(n))
                        .returns(HostEvent.class)
                        .name("notices")
                        .uid("notices");
        DataStream<HostEvent> replies =
                enriched.map(r -> HostEvent.of(r))
                        .returns(HostEvent.class)
                        .name("replies")
                        .uid("replies");
        SingleOutputStreamOperator<HostRow> hosts =
                replies.union(notices)
                        .keyBy(HostEvent::host)
                        .process(new HostTracker(emitInterval))
                        .name("hosts")
                        .uid("hosts");
        DataStream<CountDelta> deltas = hosts.getSideOutput(HostTracker.COUNT_DELTAS);
        DataStream<CountRow> counts =
                deltas.keyBy(CountDelta::key)
                        .process(new CountAggregator(emitInterval))
                        .name("counts")
                        .uid("counts");
        DataStream<ConsistencyRow> consistency =
                hosts.keyBy(HostIdentity::of)
                        .process(consistencyWindow)
                        .name("consistency")
                        .uid("consistency");
        DataStream<KeyTestRow> keyTests =
                hosts.getSideOutput(HostTracker.KEY_WEIGHTS)
                        .keyBy(KeyWeightDelta::key)
                        .process(new KeyWeightAggregator(emitInterval, keyTestAlpha))
                        .name("key-tests")
                        .uid("key-tests");
        return new Streams(
                enriched,
                hosts,
                counts,
                consistency,
                keyTests,
                classified.getSideOutput(ClassifyFunction.DEAD_LETTERS));
    }
}
