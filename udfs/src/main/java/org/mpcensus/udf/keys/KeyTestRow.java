package org.mpcensus.udf.keys;

import org.mpcensus.udf.scope.Scope;

/**
 * A key-weight histogram and its test against random keys.
 *
 * @param key what the histogram is kept per
 * @param weights hosts per key weight 0..64
 * @param keys hosts in all
 * @param pValue the chi-square p-value against Binomial(64, 1/2) (1 below the minimum of keys)
 * @param flagged whether the keys fail the test at the configured significance
 */
public record KeyTestRow(Scope key, long[] weights, long keys, double pValue, boolean flagged) {

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyTestRow r
                && key.equals(r.key)
                && java.util.Arrays.equals(weights, r.weights)
                && keys == r.keys
                && Double.compare(pValue, r.pValue) == 0
                && flagged == r.flagged;
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + java.util.Arrays.hashCode(weights);
    }

    /**
     * The non-empty bins as {@code weight:hosts} pairs separated by spaces, e.g. {@code 31:4 32:7}.
     */
    public String weightsText() {
        StringBuilder s = new StringBuilder();
        for (int w = 0; w < weights.length; w++) {
            if (weights[w] != 0) {
                s.append(s.length() == 0 ? "" : " ").append(w).append(':').append(weights[w]);
            }
        }
        return s.toString();
    }
}
