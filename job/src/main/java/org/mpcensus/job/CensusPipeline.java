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
import org.mpcensus.udf.aggregate.HostKey;
import org.mpcensus.udf.aggregate.HostRow;
import org.mpcensus.udf.aggregate.HostTracker;
import org.mpcensus.udf.classify.ClassifiedReply;
import org.mpcensus.udf.classify.ClassifyFunction;
import org.mpcensus.udf.enrich.AsnEnrichment;

/**
 * The census dataflow, independent of where records come from and where results go: classify and
 * route dead letters, enrich with the origin AS, track hosts per month, and count hosts and replies
 * per (month, IP version, port, probed version, AS, classification).
 */
public final class CensusPipeline {
    private CensusPipeline() {}

    /** The streams the census produces. */
    public record Streams(
            DataStream<ClassifiedReply> replies,
            DataStream<HostRow> hosts,
            DataStream<CountRow> counts,
            DataStream<DeadLetter> deadLetters) {}

    /** Builds the census with the {@link CensusOptions} of a configuration. */
    public static Streams build(DataStream<ArchiveRecord> records, Configuration conf) {
        return build(
                records,
                conf.getOptional(CensusOptions.ASN_TABLE).orElse(null),
                conf.get(CensusOptions.EMIT_INTERVAL));
    }

    /**
     * Builds the census over a stream of records.
     *
     * @param asnTableFile a pyasn or pfx2as file, or null
     * @param emitInterval how often changing rows are emitted (0: every change)
     */
    public static Streams build(
            DataStream<ArchiveRecord> records, String asnTableFile, Duration emitInterval) {
        SingleOutputStreamOperator<ClassifiedReply> classified =
                records.process(new ClassifyFunction()).name("classify").uid("classify");
        DataStream<ClassifiedReply> enriched =
                classified
                        .map(new AsnEnrichment(asnTableFile))
                        .name("enrich-asn")
                        .uid("enrich-asn");
        SingleOutputStreamOperator<HostRow> hosts =
                enriched.keyBy(HostKey::of)
                        .process(new HostTracker(emitInterval))
                        .name("hosts")
                        .uid("hosts");
        DataStream<CountDelta> deltas = hosts.getSideOutput(HostTracker.COUNT_DELTAS);
        DataStream<CountRow> counts =
                deltas.keyBy(CountDelta::key)
                        .process(new CountAggregator(emitInterval))
                        .name("counts")
                        .uid("counts");
        return new Streams(
                enriched, hosts, counts, classified.getSideOutput(ClassifyFunction.DEAD_LETTERS));
    }
}
