package org.mpcensus.probe.target;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.mpcensus.probe.packet.Bytes;
import org.mpcensus.probe.packet.IpAddress;

/**
 * Longest-prefix match from IPv4/IPv6 addresses to a long value (an AS number, a blocklist mark).
 * Per prefix length it keeps sorted arrays of networks (128 bits as two longs), so a lookup is at
 * most one binary search per length present. Immutable and thread-safe once built.
 */
public final class PrefixMap implements Serializable {

    /** The value of an address no prefix covers. */
    public static final long NONE = Long.MIN_VALUE;

    private final Family v4;
    private final Family v6;
    private final int size;

    private PrefixMap(Family v4, Family v6, int size) {
        this.v4 = v4;
        this.v6 = v6;
        this.size = size;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The number of prefixes. */
    public int size() {
        return size;
    }

    /** The value of the longest prefix covering a 4- or 16-byte address, or {@link #NONE}. */
    public long lookup(byte[] address) {
        if (address.length == 4) {
            return v4.lookup(0, Bytes.getUnsignedInt(address, 0) << 32);
        }
        return v6.lookup(Bytes.getLong(address, 0), Bytes.getLong(address, 8));
    }

    /** The value for an address literal, or {@link #NONE}. */
    public long lookup(String address) {
        long bits = IpAddress.v4Bits(address);
        if (bits >= 0) {
            return v4.lookup(0, bits << 32);
        }
        long[] v6Bits = new long[2];
        if (IpAddress.v6Bits(address, v6Bits)) {
            return v6.lookup(v6Bits[0], v6Bits[1]);
        }
        return lookup(IpAddress.parse(address));
    }

    /** True when some prefix covers the address. */
    public boolean covers(byte[] address) {
        return lookup(address) != NONE;
    }

    /** Keeps the top {@code bits} bits of a 64-bit word (bits may be below 0 or above 64). */
    static long mask(long word, int bits) {
        if (bits <= 0) {
            return 0;
        }
        if (bits >= 64) {
            return word;
        }
        return word & (-1L << (64 - bits));
    }

    /**
     * Prefixes of one family; IPv4 addresses sit in the top 32 bits of {@code lo} with {@code hi}
     * 0, so one code path serves both families.
     */
    private static final class Family implements Serializable {
        private final boolean v4;
        private final int[] lengths;
        private final long[][] his;
        private final long[][] los;
        private final long[][] values;

        Family(boolean v4, List<long[]>[] byLength) {
            this.v4 = v4;
            List<Integer> present = new ArrayList<>();
            for (int len = byLength.length - 1; len >= 0; len--) {
                if (!byLength[len].isEmpty()) {
                    present.add(len);
                }
            }
            lengths = present.stream().mapToInt(Integer::intValue).toArray();
            his = new long[lengths.length][];
            los = new long[lengths.length][];
            values = new long[lengths.length][];
            for (int i = 0; i < lengths.length; i++) {
                List<long[]> entries = new ArrayList<>(byLength[lengths[i]]);
                // Stable sort: of duplicate prefixes the first one added wins.
                entries.sort(
                        (a, b) -> {
                            int c = Long.compareUnsigned(a[0], b[0]);
                            return c != 0 ? c : Long.compareUnsigned(a[1], b[1]);
                        });
                List<long[]> unique = new ArrayList<>(entries.size());
                for (long[] e : entries) {
                    long[] last = unique.isEmpty() ? null : unique.get(unique.size() - 1);
                    if (last == null || last[0] != e[0] || last[1] != e[1]) {
                        unique.add(e);
                    }
                }
                his[i] = new long[unique.size()];
                los[i] = new long[unique.size()];
                values[i] = new long[unique.size()];
                for (int j = 0; j < unique.size(); j++) {
                    his[i][j] = unique.get(j)[0];
                    los[i][j] = unique.get(j)[1];
                    values[i][j] = unique.get(j)[2];
                }
            }
        }

        long lookup(long hi, long lo) {
            for (int i = 0; i < lengths.length; i++) {
                int len = lengths[i];
                long h = v4 ? 0 : mask(hi, len);
                long l = mask(lo, v4 ? len : len - 64);
                int at = search(his[i], los[i], h, l);
                if (at >= 0) {
                    return values[i][at];
                }
            }
            return NONE;
        }

        private static int search(long[] hi, long[] lo, long h, long l) {
            int a = 0;
            int b = hi.length - 1;
            while (a <= b) {
                int m = (a + b) >>> 1;
                int c = Long.compareUnsigned(hi[m], h);
                if (c == 0) {
                    c = Long.compareUnsigned(lo[m], l);
                }
                if (c < 0) {
                    a = m + 1;
                } else if (c > 0) {
                    b = m - 1;
                } else {
                    return m;
                }
            }
            return -1;
        }
    }

    /** Collects prefixes, then freezes them. Not thread-safe. */
    public static final class Builder {
        @SuppressWarnings("unchecked")
        private final List<long[]>[] v4 = new List[33];

        @SuppressWarnings("unchecked")
        private final List<long[]>[] v6 = new List[129];

        private int count;

        private Builder() {
            for (int i = 0; i < v4.length; i++) {
                v4[i] = new ArrayList<>();
            }
            for (int i = 0; i < v6.length; i++) {
                v6[i] = new ArrayList<>();
            }
        }

        /** Adds {@code prefix/length} with a value. */
        public Builder add(String prefix, int length, long value) {
            byte[] a = IpAddress.parse(prefix);
            int max = a.length * 8;
            if (length < 0 || length > max) {
                throw new IllegalArgumentException("prefix length " + length + " of " + prefix);
            }
            if (a.length == 4) {
                v4[length].add(
                        new long[] {0, mask(Bytes.getUnsignedInt(a, 0) << 32, length), value});
            } else {
                long hi = mask(Bytes.getLong(a, 0), length);
                long lo = mask(Bytes.getLong(a, 8), length - 64);
                v6[length].add(new long[] {hi, lo, value});
            }
            count++;
            return this;
        }

        /**
         * Adds a CIDR ({@code 198.18.0.0/15}, {@code 2001:db8::/32}; a bare address is a host
         * route).
         */
        public Builder addCidr(String cidr, long value) {
            int slash = cidr.indexOf('/');
            if (slash < 0) {
                return add(cidr, IpAddress.isV6(cidr) ? 128 : 32, value);
            }
            int length;
            try {
                length = Integer.parseInt(cidr.substring(slash + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a CIDR: '" + cidr + "'");
            }
            return add(cidr.substring(0, slash).trim(), length, value);
        }

        public PrefixMap build() {
            return new PrefixMap(new Family(true, v4), new Family(false, v6), count);
        }
    }
}
