package org.mpcensus.udf.aggregate;

import java.io.DataInput;
import java.io.IOException;

/**
 * What the stored form of an {@link AddressSet} is made with: IPv6 addresses as (upper, lower)
 * pairs of longs, sorted in place in ascending unsigned order, and variable-length integers.
 */
final class AddressCodec {
    private AddressCodec() {}

    static int comparePairs(long[] p, int i, long u, long l) {
        int c = Long.compareUnsigned(p[2 * i], u);
        return c != 0 ? c : Long.compareUnsigned(p[2 * i + 1], l);
    }

    static void swapPairs(long[] p, int i, int j) {
        long u = p[2 * i];
        long l = p[2 * i + 1];
        p[2 * i] = p[2 * j];
        p[2 * i + 1] = p[2 * j + 1];
        p[2 * j] = u;
        p[2 * j + 1] = l;
    }

    /** Quicksort of the pairs from index lo to hi (inclusive), recursing into the smaller half. */
    static void sortPairs(long[] p, int lo, int hi) {
        while (hi - lo > 16) {
            int mid = (lo + hi) >>> 1;
            long pu = p[2 * mid];
            long pl = p[2 * mid + 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (comparePairs(p, i, pu, pl) < 0) {
                    i++;
                }
                while (comparePairs(p, j, pu, pl) > 0) {
                    j--;
                }
                if (i <= j) {
                    swapPairs(p, i++, j--);
                }
            }
            if (j - lo < hi - i) {
                sortPairs(p, lo, j);
                lo = i;
            } else {
                sortPairs(p, i, hi);
                hi = j;
            }
        }
        for (int i = lo + 1; i <= hi; i++) {
            for (int j = i; j > lo && comparePairs(p, j - 1, p[2 * j], p[2 * j + 1]) > 0; j--) {
                swapPairs(p, j, j - 1);
            }
        }
    }

    static int varintSize(long v) {
        return v == 0 ? 1 : (64 - Long.numberOfLeadingZeros(v) + 6) / 7;
    }

    static void putVarint(java.nio.ByteBuffer out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.put((byte) (v & 0x7f | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }

    static long readVarint(DataInput in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("a variable-length number longer than 64 bits in a stored set");
    }
}
