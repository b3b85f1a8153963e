package org.mpcensus.job.output;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.mpcensus.probe.event.DeadLetter;
import org.mpcensus.udf.aggregate.CountRow;
import org.mpcensus.udf.aggregate.PlainResponders;
import org.mpcensus.udf.classify.ClassifiedReply;
import org.mpcensus.udf.host.HostRow;
import org.mpcensus.udf.keys.KeyTestRow;
import org.mpcensus.udf.overlap.OverlapRow;
import org.mpcensus.udf.window.ConsistencyRow;

/**
 * The streams the census produces, one per table, as the pipeline hands them to its outputs.
 *
 * @param replies every classified reply (written only where asked for)
 * @param hosts rows of {@code census_hosts}
 * @param counts rows of {@code census_counts}
 * @param consistency rows of {@code census_consistency}
 * @param keyTests rows of {@code census_key_tests}
 * @param overlap rows of {@code census_overlap}
 * @param deadLetters bad input, with its reason
 * @param mptcpPathReplies the replies of the MPTCP path (every classification but {@code
 *     NOT_MPTCP}), as the census keeps them between runs
 * @param plainResponders the plain responders per key, as the census keeps them between runs
 */
public record CensusStreams(
        DataStream<ClassifiedReply> replies,
        DataStream<HostRow> hosts,
        DataStream<CountRow> counts,
        DataStream<ConsistencyRow> consistency,
        DataStream<KeyTestRow> keyTests,
        DataStream<OverlapRow> overlap,
        DataStream<DeadLetter> deadLetters,
        DataStream<ClassifiedReply> mptcpPathReplies,
        DataStream<PlainResponders> plainResponders) {}
