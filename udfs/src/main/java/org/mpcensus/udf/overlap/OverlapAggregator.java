package org.mpcensus.udf.overlap;

import java.time.Duration;
import org.mpcensus.udf.aggregate.UpsertEmitter;

/** Sums {@link OverlapDelta}s per {@link OverlapKey} and emits the totals as upserts. */
public class OverlapAggregator extends UpsertEmitter<OverlapKey, OverlapDelta, OverlapRow> {

    public OverlapAggregator(Duration emitInterval) {
        super(emitInterval, OverlapRow.class);
    }

    @Override
    protected OverlapRow update(OverlapRow before, OverlapDelta d, Context ctx) {
        return new OverlapRow(d.key(), (before == null ? 0 : before.hosts()) + d.hosts());
    }
}
