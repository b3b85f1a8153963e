package org.mpcensus.udf.aggregate;

import java.time.Duration;
import java.util.Comparator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.classify.ClassifiedReply;
import org.mpcensus.udf.keys.KeyWeightDelta;
import org.mpcensus.udf.keys.KeyWeightKey;

/**
 * Keeps, per {@link HostKey}, the host's row (latest classification, first and last seen, replies)
 * and emits it as an upsert ({@link UpsertEmitter}). Emits {@link CountDelta}s on {@link
 * #COUNT_DELTAS}: one reply for the reply's own classification, and a host moving between
 * classifications when its latest reply changes. Results do not depend on the order replies arrive
 * in.
 */
public class HostTracker extends UpsertEmitter<HostKey, ClassifiedReply, HostRow> {

    /** Keys of candidate and suspect hosts entering and leaving key-weight histograms. */
    public static final OutputTag<KeyWeightDelta> KEY_WEIGHTS =
            new OutputTag<>("key-weights", TypeInformation.of(KeyWeightDelta.class));

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

    private transient ValueState<ClassifiedReply> latest;

    public HostTracker(Duration emitInterval) {
        super(emitInterval, HostRow.class);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        latest =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("latest", ClassifiedReply.class));
    }

    @Override
    protected HostRow update(HostRow before, ClassifiedReply r, Context ctx) throws Exception {
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
        if (newest != previous) {
            latest.update(newest);
            int oldWeight = testedWeight(previous);
            int newWeight = testedWeight(newest);
            if (oldWeight != newWeight) {
                if (oldWeight >= 0) {
                    ctx.output(KEY_WEIGHTS, new KeyWeightDelta(weightKey(previous), oldWeight, -1));
                }
                if (newWeight >= 0) {
                    ctx.output(KEY_WEIGHTS, new KeyWeightDelta(weightKey(newest), newWeight, 1));
                }
            }
        }
        return new HostRow(
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
    }

    /** The weight a host's latest reply adds to its key histogram, or -1 when it adds none. */
    private static int testedWeight(ClassifiedReply r) {
        if (r == null || r.keyWeight() < 0) {
            return -1;
        }
        Classification c = r.classification();
        return c == Classification.CANDIDATE || c == Classification.SUSPECT_KEY
                ? r.keyWeight()
                : -1;
    }

    private static KeyWeightKey weightKey(ClassifiedReply r) {
        return new KeyWeightKey(r.month(), r.ipVersion(), r.port(), r.probedVersion(), r.asn());
    }

    private static CountKey countKey(ClassifiedReply r, Classification c) {
        return new CountKey(r.month(), r.ipVersion(), r.port(), r.probedVersion(), r.asn(), c);
    }
}
