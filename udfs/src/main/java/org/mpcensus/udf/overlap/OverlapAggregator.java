package org.mpcensus.udf.overlap;

import java.time.Duration;
import org.mpcensus.udf.month.Months;
import org.mpcensus.udf.upsert.UpsertEmitter;

/**
 * Sums {@link OverlapDelta}s per {@link OverlapKey} and emits the totals as upserts. A key's state
 * goes when its month can no longer change (the month plus the lateness is over); its last row is
 * then in the sink.
 */
public class OverlapAggregator extends UpsertEmitter<OverlapKey, OverlapDelta, OverlapRow> {
    private final int latenessMonths;

    /**
     * @param latenessMonths L: the lateness of the overlap tracker that sends the deltas
     */
    public OverlapAggregator(Duration emitInterval, int latenessMonths) {
        super(emitInterval, OverlapRow.class);
        this.latenessMonths = latenessMonths;
    }

    @Override
    protected long expiry(OverlapDelta d) {
        return Months.lateFrom(d.key().scope().month(), latenessMonths);
    }

    @Override
    protected OverlapRow update(OverlapRow before, OverlapDelta d, Context ctx) {
        return new OverlapRow(d.key(), (before == null ? 0 : before.hosts()) + d.hosts());
    }
}
