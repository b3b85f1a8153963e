package org.mpcensus.udf.aggregate;

import java.time.Duration;

/**
 * Sums {@link CountDelta}s per {@link CountKey} and emits the running totals as upserts. A key
 * keeps its row once it has had a reply (replies never decrease), so its final value is the same in
 * any replay order.
 */
public class CountAggregator extends UpsertEmitter<CountKey, CountDelta, CountRow> {

    public CountAggregator(Duration emitInterval) {
        super(emitInterval, CountRow.class);
    }

    @Override
    protected CountRow update(CountRow before, CountDelta d, Context ctx) {
        long hosts = (before == null ? 0 : before.hosts()) + d.hosts();
        long replies = (before == null ? 0 : before.replies()) + d.replies();
        return new CountRow(d.key(), hosts, replies);
    }
}
