package org.mpcensus.udf.aggregate;

import java.time.Duration;
import org.mpcensus.udf.month.Months;
import org.mpcensus.udf.upsert.UpsertEmitter;

/**
 * Sums {@link CountDelta}s per {@link CountKey} and emits the running totals as upserts. A key
 * keeps its row once it has had a reply (replies never decrease), so its final value is the same in
 * any replay order. A key's state goes when its month can no longer change (the month plus the
 * lateness is over, as for the hosts that feed it); its last row is then in the sink.
 */
public class CountAggregator extends UpsertEmitter<CountKey, CountDelta, CountRow> {
    private final int latenessMonths;

    /**
     * @param latenessMonths L: the lateness of the host operator that sends the deltas
     */
    public CountAggregator(Duration emitInterval, int latenessMonths) {
        super(emitInterval, CountRow.class);
        this.latenessMonths = latenessMonths;
    }

    @Override
    protected long expiry(CountDelta d) {
        return Months.lateFrom(d.key().scope().month(), latenessMonths);
    }

    @Override
    protected CountRow update(CountRow before, CountDelta d, Context ctx) {
        long hosts = (before == null ? 0 : before.hosts()) + d.hosts();
        long replies = (before == null ? 0 : before.replies()) + d.replies();
        return new CountRow(d.key(), hosts, replies);
    }
}
