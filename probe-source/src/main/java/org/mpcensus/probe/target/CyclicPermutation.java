package org.mpcensus.probe.target;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * ZMap's address permutation: the multiplicative group of integers modulo a prime {@code p} larger
 * than the space size {@code n} is cyclic; walking it from a random start with a random generator
 * visits every value 1..p-1 exactly once, in an order that looks random. Values above {@code n} are
 * skipped. Shard {@code k} of {@code s} takes the walk's positions {@code k, k+s, k+2s, ...}, so
 * shards are disjoint and together complete; a shard's position is a step count, so it restores in
 * O(log p). Immutable and thread-safe; {@link Cursor}s are not.
 */
public final class CyclicPermutation {
    private final long n;
    private final long p;
    private final long generator;
    private final long start;

    private CyclicPermutation(long n, long p, long generator, long start) {
        this.n = n;
        this.p = p;
        this.generator = generator;
        this.start = start;
    }

    /**
     * A permutation of 0..n-1, reproducible for a seed (ZMap draws a fresh generator per scan).
     *
     * @param n the space size, 1 to 2^40
     */
    public static CyclicPermutation of(long n, long seed) {
        if (n < 1 || n > (1L << 40)) {
            throw new IllegalArgumentException("space of " + n + " elements (1 to 2^40)");
        }
        long p = BigInteger.valueOf(Math.max(n + 1, 3)).nextProbablePrime().longValueExact();
        List<Long> factors = primeFactors(p - 1);
        SplittableRandom random = new SplittableRandom(seed);
        long g;
        do {
            g = 2 + random.nextLong(p - 2);
        } while (!isGenerator(g, p, factors));
        long start = 1 + random.nextLong(p - 1);
        return new CyclicPermutation(n, p, g, start);
    }

    public long size() {
        return n;
    }

    public long prime() {
        return p;
    }

    public long generator() {
        return generator;
    }

    /** A cursor over shard {@code shard} of {@code shards}, after {@code steps} steps. */
    public Cursor cursor(int shard, int shards, long steps) {
        if (shards < 1 || shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("shard " + shard + " of " + shards);
        }
        long stride = modPow(generator, shards, p);
        long first = mulMod(start, modPow(generator, shard, p), p);
        // The walk has p - 1 positions; this shard owns those congruent to shard modulo shards.
        long total = (p - 1 - shard + shards - 1) / shards;
        return new Cursor(first, stride, total, steps);
    }

    /**
     * Walks one shard. {@link #next()} returns the next element of 0..n-1, or -1 at the end; {@link
     * #steps()} is the position to checkpoint (values above n count as steps too).
     */
    public final class Cursor {
        private final long first;
        private final long stride;
        private final long total;
        private long steps;
        private long current;

        Cursor(long first, long stride, long total, long steps) {
            this.first = first;
            this.stride = stride;
            this.total = total;
            this.steps = Math.min(steps, total);
            this.current = mulMod(first, modPow(stride, this.steps, p), p);
        }

        /** The next element, or -1 when the shard is exhausted. */
        public long next() {
            while (steps < total) {
                long value = current;
                current = mulMod(current, stride, p);
                steps++;
                if (value <= n) {
                    return value - 1;
                }
            }
            return -1;
        }

        /** Steps taken: the position to restore with. */
        public long steps() {
            return steps;
        }

        /** Steps this shard has in all. */
        public long total() {
            return total;
        }
    }

    /** {@code a * b mod m} for m below 2^41 without overflow. */
    static long mulMod(long a, long b, long m) {
        long hi = b >>> 20;
        long lo = b & ((1L << 20) - 1);
        long r = (a * hi) % m;
        r = ((r << 20) % m + (a * lo) % m) % m;
        return r;
    }

    static long modPow(long base, long exponent, long m) {
        long result = 1 % m;
        long b = base % m;
        long e = exponent;
        while (e > 0) {
            if ((e & 1) == 1) {
                result = mulMod(result, b, m);
            }
            b = mulMod(b, b, m);
            e >>>= 1;
        }
        return result;
    }

    private static boolean isGenerator(long g, long p, List<Long> factors) {
        for (long q : factors) {
            if (modPow(g, (p - 1) / q, p) == 1) {
                return false;
            }
        }
        return true;
    }

    static List<Long> primeFactors(long v) {
        List<Long> out = new ArrayList<>();
        long x = v;
        for (long d = 2; d * d <= x; d++) {
            if (x % d == 0) {
                out.add(d);
                while (x % d == 0) {
                    x /= d;
                }
            }
        }
        if (x > 1) {
            out.add(x);
        }
        return out;
    }
}
