package org.mpcensus.udf.aggregate;

import java.util.Comparator;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.classify.ClassifiedReply;

/**
 * Keeps, per {@link HostKey}, the host's row (latest classification, first and last seen, replies)
 * and emits it as an upsert on every reply. Emits {@link CountDelta}s on {@link #COUNT_DELTAS}: one
 * reply for the reply's own classification, and a host moving between classifications when its
 * latest reply changes. Results do not depend on the order replies arrive in.
 */
public class HostTracker extends KeyedProcessFunction<HostKey, ClassifiedReply, HostRow> {

    /** Changes of the census counts. */
    public static final OutputTag<CountDelta> COUNT_DELTAS =
            new OutputTag<>("count-deltas", TypeInformation.of(CountDelta.class));

    /** Which of two replies is the "latest": capture time, then classification, then key. */
    static final Comparator<ClassifiedReply> LATEST =
            Comparator.comparingLong(ClassifiedReply::captureTimeMicros)
                    .thenComparing(ClassifiedReply::classification)
                    .thenComparing(
                            ClassifiedReply::senderKey,
                            Comparator.nullsFirst(Comparator.naturalOrder()));

    private transient ValueState<HostRow> row;
    private transient ValueState<ClassifiedReply> latest;

    @Override
    public void open(OpenContext openContext) {
        row = getRuntimeContext().getState(new ValueStateDescriptor<>("row", HostRow.class));
        latest =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("latest", ClassifiedReply.class));
    }

    @Override
    public void processElement(ClassifiedReply r, Context ctx, Collector<HostRow> out)
            throws Exception {
        HostRow before = row.value();
        ClassifiedReply previous = latest.value();
        ClassifiedReply newest = previous == null || LATEST.compare(r, previous) > 0 ? r : previous;
        ctx.output(COUNT_DELTAS, new CountDelta(countKey(r, r.classification()), 0, 1));
        if (previous == null) {
            ctx.output(COUNT_DELTAS, new CountDelta(countKey(r, r.classification()), 1, 0));
        } else if (newest != previous && newest.classification() != previous.classification()) {
            ctx.output(
                    COUNT_DELTAS,
                    new CountDelta(countKey(previous, previous.classification()), -1, 0));
            ctx.output(
                    COUNT_DELTAS, new CountDelta(countKey(newest, newest.classification()), 1, 0));
        }
        HostRow next =
                new HostRow(
                        r.month(),
                        r.host(),
                        r.port(),
                        r.probedVersion(),
                        r.ipVersion(),
                        newest.asn(),
                        newest.classification(),
                        newest.mptcpVersion(),
                        newest.senderKey(),
                        newest.keyWeight(),
                        (before == null ? 0 : before.replies()) + 1,
                        before == null
                                ? r.captureTimeMicros()
                                : Math.min(before.firstSeenMicros(), r.captureTimeMicros()),
                        before == null
                                ? r.captureTimeMicros()
                                : Math.max(before.lastSeenMicros(), r.captureTimeMicros()));
        if (newest != previous) {
            latest.update(newest);
        }
        row.update(next);
        if (!Objects.equals(before, next)) {
            out.collect(next);
        }
    }

    private static CountKey countKey(ClassifiedReply r, Classification c) {
        return new CountKey(r.month(), r.ipVersion(), r.port(), r.probedVersion(), r.asn(), c);
    }
}
