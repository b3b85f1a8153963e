package org.mpcensus.udf.aggregate;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.month.Months;
import org.mpcensus.udf.scope.Scope;
import org.mpcensus.udf.upsert.UpsertEmitter;

/**
 * Counts the {@code NOT_MPTCP} hosts and replies of one {@link Scope} exactly, from {@link
 * ResponderDelta}s: it keeps the set P of addresses that sent plain replies and the set Q of
 * addresses the MPTCP path counts under a classification of their own, and emits the row {@code
 * NOT_MPTCP} with hosts = |P \ Q| and replies = the plain replies. Both sets only grow, so the
 * count is the same whatever order the deltas come in. The row exists once the key had a plain
 * reply; a key's state goes when its month can no longer change (as for {@link CountAggregator}).
 */
public class ResponderCounter extends UpsertEmitter<Scope, ResponderDelta, CountRow> {

    /**
     * The key's plain responders when its last row is emitted, and while it changes at most once
     * per {@link #FACTS_INTERVAL} of processing time: what the census keeps so that a later run
     * continues the key's count. (A key can hold tens of millions of addresses; its row changes
     * every emit interval.) The replies are the run's own: those of {@link
     * ResponderDelta.Origin#REMEMBERED} deltas are the census's already, and a key with no plain
     * reply of its own emits nothing.
     */
    public static final OutputTag<PlainResponders> PLAIN_RESPONDERS =
            new OutputTag<>("plain-responders", TypeInformation.of(PlainResponders.class));

    /** How often at most a changing key's plain responders are emitted before its last row. */
    public static final long FACTS_INTERVAL_MILLIS = 60_000;

    private final int latenessMonths;
    private transient ValueState<AddressSet> plain;
    private transient ValueState<Long> factsAt;
    private transient ValueState<Long> remembered;
    private transient ValueState<AddressSet> mptcp;

    /**
     * @param latenessMonths L: the lateness of the operators that send the deltas
     */
    public ResponderCounter(Duration emitInterval, int latenessMonths) {
        super(emitInterval, CountRow.class);
        this.latenessMonths = latenessMonths;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        plain =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "plain-responders", AddressSetSerializer.TYPE));
        factsAt =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "plain-responders-emitted",
                                        TypeInformation.of(Long.class)));
        remembered =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "remembered-replies", TypeInformation.of(Long.class)));
        mptcp =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "mptcp-path-hosts", AddressSetSerializer.TYPE));
    }

    @Override
    protected long expiry(ResponderDelta d) {
        return Months.lateFrom(d.key().month(), latenessMonths);
    }

    @Override
    protected void clearKey() {
        plain.clear();
        mptcp.clear();
        factsAt.clear();
        remembered.clear();
    }

    @Override
    protected CountRow update(CountRow before, ResponderDelta d, Context ctx) throws Exception {
        AddressSet p = orEmpty(plain.value());
        AddressSet q = orEmpty(mptcp.value());
        long hosts = before == null ? 0 : before.hosts();
        if (d.mptcpPath()) {
            AddressSet fresh = d.addresses().without(q);
            if (fresh.isEmpty()) {
                return before;
            }
            hosts -= fresh.sizeWithin(p);
            q.addAll(fresh);
            mptcp.update(q);
            return before == null ? null : new CountRow(before.key(), hosts, before.replies());
        }
        if (d.origin() == ResponderDelta.Origin.REMEMBERED) {
            Long r = remembered.value();
            remembered.update((r == null ? 0 : r) + d.replies());
        }
        AddressSet fresh = d.addresses().without(p);
        if (!fresh.isEmpty()) {
            hosts += fresh.size() - fresh.sizeWithin(q);
            p.addAll(fresh);
            plain.update(p);
        }
        return new CountRow(
                new CountKey(d.key(), Classification.NOT_MPTCP),
                hosts,
                (before == null ? 0 : before.replies()) + d.replies());
    }

    @Override
    protected boolean keepsLast() {
        return true;
    }

    @Override
    protected void emitted(CountRow row, boolean last, Context ctx) throws Exception {
        AddressSet p = plain.value();
        long now = ctx.timerService().currentProcessingTime();
        Long at = factsAt.value();
        if (!last && (at == null || now - at < FACTS_INTERVAL_MILLIS)) {
            if (at == null) {
                factsAt.update(now);
            }
            return;
        }
        factsAt.update(now);
        Long r = remembered.value();
        long own = row.replies() - (r == null ? 0 : r);
        if (p != null && own > 0) {
            ctx.output(
                    PLAIN_RESPONDERS,
                    new PlainResponders(ctx.getCurrentKey(), last ? p : p.copy(), own));
        }
    }

    /**
     * The {@code NOT_MPTCP} hosts of a key: the plain responders that the MPTCP path does not count
     * under a classification of their own.
     */
    public static long plainHosts(AddressSet plainResponders, AddressSet mptcpPathHosts) {
        return plainResponders.size() - plainResponders.sizeWithin(mptcpPathHosts);
    }

    private static AddressSet orEmpty(AddressSet s) {
        return s == null ? new AddressSet() : s;
    }
}
