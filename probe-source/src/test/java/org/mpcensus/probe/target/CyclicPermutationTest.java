package org.mpcensus.probe.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CyclicPermutationTest {

    @ParameterizedTest
    @CsvSource({"1, 1", "2, 1", "7, 3", "1000, 1", "1000, 4", "65536, 7", "100003, 16"})
    void shardsAreDisjointAndTogetherVisitEveryElementExactlyOnce(long n, int shards) {
        CyclicPermutation perm = CyclicPermutation.of(n, 42);
        BitSet seen = new BitSet();
        long count = 0;
        for (int s = 0; s < shards; s++) {
            CyclicPermutation.Cursor c = perm.cursor(s, shards, 0);
            long v;
            while ((v = c.next()) >= 0) {
                assertThat(v).isBetween(0L, n - 1);
                assertThat(seen.get((int) v)).as("element %d twice", v).isFalse();
                seen.set((int) v);
                count++;
            }
        }
        assertThat(count).isEqualTo(n);
    }

    @Test
    void sameSeedSameOrderOtherSeedOtherOrder() {
        assertThat(firstTen(CyclicPermutation.of(10_000, 1)))
                .isEqualTo(firstTen(CyclicPermutation.of(10_000, 1)));
        assertThat(firstTen(CyclicPermutation.of(10_000, 1)))
                .isNotEqualTo(firstTen(CyclicPermutation.of(10_000, 2)));
    }

    @Test
    void aCursorRestoredAtAStepContinuesExactlyWhereTheOldOneStopped() {
        CyclicPermutation perm = CyclicPermutation.of(50_000, 9);
        CyclicPermutation.Cursor a = perm.cursor(1, 3, 0);
        for (int i = 0; i < 777; i++) {
            a.next();
        }
        CyclicPermutation.Cursor b = perm.cursor(1, 3, a.steps());
        for (int i = 0; i < 1000; i++) {
            assertThat(b.next()).isEqualTo(a.next());
        }
    }

    @Test
    void largeSpacesDoNotOverflow() {
        CyclicPermutation perm = CyclicPermutation.of(1L << 32, 5);
        assertThat(perm.prime()).isGreaterThan(1L << 32);
        CyclicPermutation.Cursor c = perm.cursor(0, 1, 0);
        for (int i = 0; i < 10_000; i++) {
            assertThat(c.next()).isBetween(0L, (1L << 32) - 1);
        }
        // restoring deep into the walk is cheap and consistent
        CyclicPermutation.Cursor deep = perm.cursor(0, 1, 3_000_000_000L);
        assertThat(deep.steps()).isEqualTo(3_000_000_000L);
    }

    private static List<Long> firstTen(CyclicPermutation p) {
        List<Long> out = new ArrayList<>();
        CyclicPermutation.Cursor c = p.cursor(0, 1, 0);
        for (int i = 0; i < 10; i++) {
            out.add(c.next());
        }
        return out;
    }
}
