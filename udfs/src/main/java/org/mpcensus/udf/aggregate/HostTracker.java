package org.mpcensus.udf.aggregate;

import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;
import org.mpcensus.probe.packet.Bytes;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.classify.ClassifiedReply;
import org.mpcensus.udf.host.HostKey;
import org.mpcensus.udf.host.HostRow;
import org.mpcensus.udf.keys.KeyWeightDelta;
import org.mpcensus.udf.month.Months;
import org.mpcensus.udf.scope.Scope;
import org.mpcensus.udf.upsert.UpsertEmitter;

/**
 * The MPTCP path of the census: it sees only replies whose classification is not {@code NOT_MPTCP}
 * (those go through {@link PlainFold}). Keeps, per {@link HostKey}, the host's row (latest
 * classification, first and last seen, replies) and emits it as an upsert ({@link UpsertEmitter}).
 * A candidate reply whose key another address returned in the same month (a {@link
 * org.mpcensus.udf.keys.DuplicateKeyNotice}) counts as SUSPECT_KEY, whether the notice comes before
 * or after the reply. Emits {@link CountDelta}s on {@link #COUNT_DELTAS} (replies per
 * classification, hosts moving between classifications) and key weights on {@link #KEY_WEIGHTS}.
 * Results do not depend on the order events arrive in. A host-month's state is cleared once the
 * watermark passes the end of the month plus the lateness; a reply that comes later is not applied
 * and goes to {@link #LATE_REPLIES}.
 */
public class HostTracker extends UpsertEmitter<HostKey, HostEvent, HostRow> {

    /** Keys of candidate and suspect hosts entering and leaving key-weight histograms. */
    public static final OutputTag<KeyWeightDelta> KEY_WEIGHTS =
            new OutputTag<>("key-weights", TypeInformation.of(KeyWeightDelta.class));

    /** Changes of the census counts. */
    public static final OutputTag<CountDelta> COUNT_DELTAS =
            new OutputTag<>("count-deltas", TypeInformation.of(CountDelta.class));

    /**
     * The address of each host-month when it first appears, for {@link ResponderCounter}: a host of
     * the MPTCP path does not count as {@code NOT_MPTCP}.
     */
    public static final OutputTag<ResponderDelta> MPTCP_HOSTS =
            new OutputTag<>("mptcp-hosts", TypeInformation.of(ResponderDelta.class));

    /** Replies that came after their host-month's state was cleared, not applied. */
    public static final OutputTag<LateReply> LATE_REPLIES =
            new OutputTag<>("late-replies", TypeInformation.of(LateReply.class));

    /** Which of two replies is the "latest": capture time, then classification, then key. */
    static final Comparator<ClassifiedReply> LATEST =
            Comparator.comparingLong(ClassifiedReply::captureTimeMicros)
                    .thenComparing(ClassifiedReply::classification)
                    .thenComparing(
                            ClassifiedReply::senderKey,
                            Comparator.nullsFirst(Comparator.naturalOrder()));

    /**
     * The classification of the host's latest reply as the classifier gave it. The rest of that
     * reply is in the host's row (its capture time is the row's last-seen time), so the row and
     * this one value are the host's whole state besides the key maps.
     */
    private transient ValueState<Classification> latestClassification;

    /** Keys (as 64-bit numbers) the host returned that another address returned too. */
    private transient ValueState<long[]> duplicateKeys;

    /** Per key the host returned as a candidate, its candidate replies: (key, count) pairs. */
    private transient ValueState<long[]> candidateReplies;

    private final int latenessMonths;

    /**
     * @param emitInterval how often a changing row is emitted (0: on every change)
     * @param latenessMonths L: a host-month's state is kept until the watermark passes the end of
     *     month M + L, then cleared; later replies for it are counted in {@code rowsPastLateness}
     */
    public HostTracker(Duration emitInterval, int latenessMonths) {
        super(emitInterval, HostRow.class);
        if (latenessMonths < 0) {
            throw new IllegalArgumentException("lateness " + latenessMonths);
        }
        this.latenessMonths = latenessMonths;
    }

    @Override
    protected long expiry(HostEvent e) {
        return Months.lateFrom(e.host().month(), latenessMonths);
    }

    @Override
    protected void pastLateness(HostEvent e, long watermark, Context ctx) {
        if (e.reply() != null) {
            ctx.output(LATE_REPLIES, new LateReply(e.reply(), watermark, latenessMonths));
        }
    }

    @Override
    protected void clearKey() {
        latestClassification.clear();
        duplicateKeys.clear();
        candidateReplies.clear();
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        latestClassification =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "latest-classification",
                                        TypeInformation.of(Classification.class)));
        duplicateKeys =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "duplicate-keys",
                                        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        candidateReplies =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "candidate-replies",
                                        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    /** Whether another address returned the key too. */
    private boolean duplicate(String key) throws Exception {
        long k = Bytes.parseHex64(key);
        long[] keys = duplicateKeys.value();
        if (keys != null) {
            for (long d : keys) {
                if (d == k) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The candidate replies counted with the key so far. */
    private long candidateRepliesWith(String key) throws Exception {
        long k = Bytes.parseHex64(key);
        long[] pairs = candidateReplies.value();
        if (pairs != null) {
            for (int i = 0; i < pairs.length; i += 2) {
                if (pairs[i] == k) {
                    return pairs[i + 1];
                }
            }
        }
        return 0;
    }

    /** Sets the candidate replies counted with the key; 0 forgets the key. */
    private void setCandidateReplies(String key, long n) throws Exception {
        long k = Bytes.parseHex64(key);
        long[] pairs = candidateReplies.value();
        pairs = pairs == null ? new long[0] : pairs;
        int at = -1;
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i] == k) {
                at = i;
            }
        }
        if (at < 0 && n == 0) {
            return;
        }
        if (at < 0) {
            pairs = Arrays.copyOf(pairs, pairs.length + 2);
            at = pairs.length - 2;
            pairs[at] = k;
        }
        if (n != 0) {
            pairs[at + 1] = n;
        } else {
            long[] fewer = new long[pairs.length - 2];
            System.arraycopy(pairs, 0, fewer, 0, at);
            System.arraycopy(pairs, at + 2, fewer, at, pairs.length - at - 2);
            pairs = fewer;
        }
        if (pairs.length == 0) {
            candidateReplies.clear();
        } else {
            candidateReplies.update(pairs);
        }
    }

    /** The classification a reply counts under, given the duplicate keys known now. */
    private Classification effective(ClassifiedReply r) throws Exception {
        if (r.classification() == Classification.CANDIDATE
                && r.senderKey() != null
                && duplicate(r.senderKey())) {
            return Classification.SUSPECT_KEY;
        }
        return r.classification();
    }

    @Override
    protected HostRow update(HostRow before, HostEvent e, Context ctx) throws Exception {
        ClassifiedReply latest = before == null ? null : latestOf(before);
        return e.reply() != null
                ? onReply(before, latest, e.reply(), ctx)
                : onDuplicate(before, latest, e.notice().senderKey(), ctx);
    }

    /** The host's latest reply, as far as the census uses it, from its row. */
    private ClassifiedReply latestOf(HostRow row) throws Exception {
        return new ClassifiedReply(
                row.lastSeenMicros(),
                row.month(),
                row.ipVersion(),
                row.host(),
                row.port(),
                row.probedVersion(),
                null,
                latestClassification.value(),
                row.mptcpVersion(),
                row.senderKey(),
                row.keyWeight(),
                row.asn(),
                row.country(),
                null,
                null);
    }

    private HostRow onReply(
            HostRow before, ClassifiedReply previous, ClassifiedReply r, Context ctx)
            throws Exception {
        ClassifiedReply newest = previous == null || LATEST.compare(r, previous) > 0 ? r : previous;
        Classification counted = effective(r);
        ctx.output(COUNT_DELTAS, new CountDelta(countKey(r, counted), 0, 1));
        if (counted != r.classification()) {
            // The count of the reply's own classification exists whatever the order of events:
            // had the notice come later, the reply would have been counted there first.
            ctx.output(COUNT_DELTAS, new CountDelta(countKey(r, r.classification()), 0, 0));
        }
        if (counted == Classification.CANDIDATE && r.senderKey() != null) {
            setCandidateReplies(r.senderKey(), candidateRepliesWith(r.senderKey()) + 1);
        }
        if (previous == null) {
            ctx.output(COUNT_DELTAS, new CountDelta(countKey(r, counted), 1, 0));
            AddressSet address = new AddressSet();
            address.add(r.host());
            ctx.output(
                    MPTCP_HOSTS,
                    new ResponderDelta(Scope.of(r), address, 0, ResponderDelta.Origin.MPTCP_PATH));
        } else if (newest != previous) {
            Classification was = effective(previous);
            Classification is = effective(newest);
            if (was != is) {
                ctx.output(COUNT_DELTAS, new CountDelta(countKey(previous, was), -1, 0));
                ctx.output(COUNT_DELTAS, new CountDelta(countKey(newest, is), 1, 0));
            }
        }
        if (newest != previous) {
            latestClassification.update(newest.classification());
            int oldWeight = testedWeight(previous);
            int newWeight = testedWeight(newest);
            if (oldWeight != newWeight) {
                if (oldWeight >= 0) {
                    ctx.output(KEY_WEIGHTS, new KeyWeightDelta(Scope.of(previous), oldWeight, -1));
                }
                if (newWeight >= 0) {
                    ctx.output(KEY_WEIGHTS, new KeyWeightDelta(Scope.of(newest), newWeight, 1));
                }
            }
        }
        return row(
                newest,
                (before == null ? 0 : before.replies()) + 1,
                before == null
                        ? r.captureTimeMicros()
                        : Math.min(before.firstSeenMicros(), r.captureTimeMicros()),
                before == null
                        ? r.captureTimeMicros()
                        : Math.max(before.lastSeenMicros(), r.captureTimeMicros()));
    }

    private HostRow onDuplicate(HostRow before, ClassifiedReply newest, String key, Context ctx)
            throws Exception {
        if (duplicate(key)) {
            return before;
        }
        Classification was = newest == null ? null : effective(newest);
        long[] keys = duplicateKeys.value();
        keys = keys == null ? new long[1] : Arrays.copyOf(keys, keys.length + 1);
        keys[keys.length - 1] = Bytes.parseHex64(key);
        duplicateKeys.update(keys);
        long moved = candidateRepliesWith(key);
        if (moved > 0 && newest != null) {
            // Replies already counted as candidates move to SUSPECT_KEY.
            ctx.output(
                    COUNT_DELTAS,
                    new CountDelta(countKey(newest, Classification.CANDIDATE), 0, -moved));
            ctx.output(
                    COUNT_DELTAS,
                    new CountDelta(countKey(newest, Classification.SUSPECT_KEY), 0, moved));
        }
        setCandidateReplies(key, 0);
        if (newest == null) {
            return null;
        }
        Classification is = effective(newest);
        if (was != is) {
            ctx.output(COUNT_DELTAS, new CountDelta(countKey(newest, was), -1, 0));
            ctx.output(COUNT_DELTAS, new CountDelta(countKey(newest, is), 1, 0));
        }
        return row(newest, before.replies(), before.firstSeenMicros(), before.lastSeenMicros());
    }

    private HostRow row(ClassifiedReply newest, long replies, long firstSeen, long lastSeen)
            throws Exception {
        return new HostRow(
                newest.month(),
                newest.host(),
                newest.port(),
                newest.probedVersion(),
                newest.ipVersion(),
                newest.asn(),
                effective(newest),
                newest.mptcpVersion(),
                newest.senderKey(),
                newest.keyWeight(),
                replies,
                firstSeen,
                lastSeen,
                newest.senderKey() != null && duplicate(newest.senderKey()),
                newest.country());
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

    private static CountKey countKey(ClassifiedReply r, Classification c) {
        return new CountKey(Scope.of(r), c);
    }
}
