package org.mpcensus.udf.aggregate;

import java.time.Duration;
import java.util.Comparator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.OutputTag;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.classify.ClassifiedReply;
import org.mpcensus.udf.keys.KeyWeightDelta;
import org.mpcensus.udf.keys.KeyWeightKey;

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

    private transient MapState<String, Boolean> duplicateKeys;
    private transient MapState<String, Long> candidateReplies;

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
        return monthExpiry(e.host().month(), latenessMonths);
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
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "duplicate-keys", Types.STRING, Types.BOOLEAN));
        candidateReplies =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "candidate-replies", Types.STRING, Types.LONG));
    }

    /** The classification a reply counts under, given the duplicate keys known now. */
    private Classification effective(ClassifiedReply r) throws Exception {
        if (r.classification() == Classification.CANDIDATE
                && r.senderKey() != null
                && duplicateKeys.contains(r.senderKey())) {
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
            Long n = candidateReplies.get(r.senderKey());
            candidateReplies.put(r.senderKey(), n == null ? 1 : n + 1);
        }
        if (previous == null) {
            ctx.output(COUNT_DELTAS, new CountDelta(countKey(r, counted), 1, 0));
            AddressSet address = new AddressSet();
            address.add(r.host());
            ctx.output(MPTCP_HOSTS, new ResponderDelta(ResponderKey.of(r), address, 0, true));
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
                    ctx.output(KEY_WEIGHTS, new KeyWeightDelta(weightKey(previous), oldWeight, -1));
                }
                if (newWeight >= 0) {
                    ctx.output(KEY_WEIGHTS, new KeyWeightDelta(weightKey(newest), newWeight, 1));
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
        if (duplicateKeys.contains(key)) {
            return before;
        }
        Classification was = newest == null ? null : effective(newest);
        duplicateKeys.put(key, true);
        Long moved = candidateReplies.get(key);
        if (moved != null && moved > 0 && newest != null) {
            // Replies already counted as candidates move to SUSPECT_KEY.
            ctx.output(
                    COUNT_DELTAS,
                    new CountDelta(countKey(newest, Classification.CANDIDATE), 0, -moved));
            ctx.output(
                    COUNT_DELTAS,
                    new CountDelta(countKey(newest, Classification.SUSPECT_KEY), 0, moved));
        }
        candidateReplies.remove(key);
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
                newest.senderKey() != null && duplicateKeys.contains(newest.senderKey()),
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

    private static KeyWeightKey weightKey(ClassifiedReply r) {
        return new KeyWeightKey(r.month(), r.ipVersion(), r.port(), r.probedVersion(), r.asn());
    }

    private static CountKey countKey(ClassifiedReply r, Classification c) {
        return new CountKey(r.month(), r.ipVersion(), r.port(), r.probedVersion(), r.asn(), c);
    }
}
