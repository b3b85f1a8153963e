package org.mpcensus.udf.keys;

import java.util.Arrays;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/**
 * Histogram of the Hamming weights (0..64) of MPTCP keys, with a goodness-of-fit test against the
 * weight distribution of random keys, Binomial(64, 1/2) (mean 32, variance 16). Sparse tails are
 * pooled until every bin expects at least {@link #MIN_EXPECTED} keys; the test is Pearson's
 * chi-square. Middleboxes that mirror the probe's key or return a few constant keys produce spikes
 * that fail it. Mutable; not thread-safe.
 */
public final class KeyWeightHistogram {

    /** Smallest expected count of a bin after pooling. */
    public static final double MIN_EXPECTED = 5.0;

    /** Fewest keys for which the test is meaningful; smaller histograms are never flagged. */
    public static final long MIN_KEYS = 30;

    private static final double[] BINOMIAL = binomial64();

    private final long[] counts;

    public KeyWeightHistogram() {
        this(new long[65]);
    }

    private KeyWeightHistogram(long[] counts) {
        this.counts = counts;
    }

    /** A histogram with these 65 counts (a copy). */
    public static KeyWeightHistogram of(long[] counts) {
        if (counts.length != 65) {
            throw new IllegalArgumentException(
                    "a weight histogram has 65 bins, not " + counts.length);
        }
        return new KeyWeightHistogram(counts.clone());
    }

    public void add(long key) {
        counts[Long.bitCount(key)]++;
    }

    public void addWeight(int weight) {
        counts[weight]++;
    }

    public long total() {
        return Arrays.stream(counts).sum();
    }

    /** The counts per weight 0..64 (a copy). */
    public long[] counts() {
        return counts.clone();
    }

    /**
     * The p-value of the chi-square test against Binomial(64, 1/2), or 1 when there are fewer than
     * {@link #MIN_KEYS} keys.
     */
    public double pValue() {
        long n = total();
        if (n < MIN_KEYS) {
            return 1.0;
        }
        // Pool the tails: [0..lo] and [hi..64] until each expects MIN_EXPECTED keys.
        int lo = 0;
        double loExpected = n * BINOMIAL[0];
        long loObserved = counts[0];
        while (loExpected < MIN_EXPECTED && lo < 31) {
            lo++;
            loExpected += n * BINOMIAL[lo];
            loObserved += counts[lo];
        }
        int hi = 64;
        double hiExpected = n * BINOMIAL[64];
        long hiObserved = counts[64];
        while (hiExpected < MIN_EXPECTED && hi > 33) {
            hi--;
            hiExpected += n * BINOMIAL[hi];
            hiObserved += counts[hi];
        }
        double chi =
                square(loObserved - loExpected) / loExpected
                        + square(hiObserved - hiExpected) / hiExpected;
        int bins = 2;
        for (int k = lo + 1; k < hi; k++) {
            double e = n * BINOMIAL[k];
            chi += square(counts[k] - e) / e;
            bins++;
        }
        return 1.0 - new ChiSquaredDistribution(null, bins - 1).cumulativeProbability(chi);
    }

    /** True when the keys fail the test at significance {@code alpha}. */
    public boolean rejectsRandomKeys(double alpha) {
        return pValue() < alpha;
    }

    private static double square(double x) {
        return x * x;
    }

    /**
     * P(weight = k) for a uniformly random 64-bit key, k = 0..64: Binomial(64, 1/2), the one
     * definition the census's test, its view {@code census_key_weight_binomial} and the figures
     * drawn from it use.
     */
    public static double[] binomial64() {
        double[] p = new double[65];
        double c = 1;
        for (int k = 0; k <= 64; k++) {
            p[k] = c / Math.pow(2, 64);
            c = c * (64 - k) / (k + 1);
        }
        return p;
    }
}
