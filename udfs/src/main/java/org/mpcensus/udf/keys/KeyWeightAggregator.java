package org.mpcensus.udf.keys;

import java.time.Duration;
import org.mpcensus.udf.month.Months;
import org.mpcensus.udf.scope.Scope;
import org.mpcensus.udf.upsert.UpsertEmitter;

/**
 * Keeps a {@link KeyWeightHistogram} of the keys of candidate and suspect hosts per month, IP
 * version, port, probed version and AS, and emits it with its test verdict as an upsert. An AS
 * whose keys fail the test is flagged; its candidates stay counted in the census tables. A key's
 * state goes when its month can no longer change (the month plus the lateness is over).
 */
public class KeyWeightAggregator extends UpsertEmitter<Scope, KeyWeightDelta, KeyTestRow> {
    private final double alpha;
    private final int latenessMonths;

    /**
     * @param alpha significance of the test (the false-positive rate on random keys)
     * @param latenessMonths L: the lateness of the host operator that sends the weights
     */
    public KeyWeightAggregator(Duration emitInterval, double alpha, int latenessMonths) {
        super(emitInterval, KeyTestRow.class);
        this.alpha = alpha;
        this.latenessMonths = latenessMonths;
    }

    @Override
    protected long expiry(KeyWeightDelta d) {
        return Months.lateFrom(d.key().month(), latenessMonths);
    }

    @Override
    protected KeyTestRow update(KeyTestRow before, KeyWeightDelta d, Context ctx) {
        long[] weights = before == null ? new long[65] : before.weights().clone();
        weights[d.weight()] += d.delta();
        KeyWeightHistogram h = KeyWeightHistogram.of(weights);
        double p = h.pValue();
        return new KeyTestRow(d.key(), weights, h.total(), p, p < alpha);
    }
}
