package org.mpcensus.udf.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyWeightHistogramTest {
    static final double ALPHA = 0.001;

    @Test
    void binomialWeightsSumToOne() {
        double sum = 0;
        for (double p : KeyWeightHistogram.binomial64()) {
            sum += p;
        }
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void randomKeysPassAtTheStatedFalsePositiveRate() {
        SplittableRandom r = new SplittableRandom(1);
        int ases = 4000;
        int flagged = 0;
        for (int as = 0; as < ases; as++) {
            KeyWeightHistogram h = new KeyWeightHistogram();
            for (int i = 0; i < 200; i++) {
                h.add(r.nextLong());
            }
            if (h.rejectsRandomKeys(ALPHA)) {
                flagged++;
            }
        }
        System.out.printf(
                "key test: %d of %d random ASes flagged at alpha %s%n", flagged, ases, ALPHA);
        // Expected about ALPHA * ases = 4; P(more than 12 | Poisson(4)) < 0.001.
        assertThat(flagged).isLessThanOrEqualTo(12);
    }

    @Test
    void mirroredKeysAreFlagged() {
        KeyWeightHistogram h = new KeyWeightHistogram();
        for (int i = 0; i < 40; i++) {
            h.add(0x0c0c0c0c0c0c0c0cL);
        }
        assertThat(h.rejectsRandomKeys(ALPHA)).isTrue();
    }

    @Test
    void keysDrawnFromAFewConstantsAreFlagged() {
        SplittableRandom r = new SplittableRandom(2);
        long[] constants = {r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong()};
        KeyWeightHistogram h = new KeyWeightHistogram();
        for (int i = 0; i < 200; i++) {
            h.add(constants[r.nextInt(constants.length)]);
        }
        assertThat(h.rejectsRandomKeys(ALPHA)).isTrue();
    }

    @Test
    void aMinorityOfRewrittenKeysAmongRealOnesIsFlagged() {
        SplittableRandom r = new SplittableRandom(3);
        KeyWeightHistogram h = new KeyWeightHistogram();
        for (int i = 0; i < 300; i++) {
            h.add(i % 5 == 0 ? 0x3030303030303030L : r.nextLong());
        }
        assertThat(h.rejectsRandomKeys(ALPHA)).isTrue();
    }

    @Test
    void tooFewKeysAreNeverFlagged() {
        KeyWeightHistogram h = new KeyWeightHistogram();
        for (int i = 0; i < 29; i++) {
            h.add(0);
        }
        assertThat(h.pValue()).isEqualTo(1.0);
    }
}
