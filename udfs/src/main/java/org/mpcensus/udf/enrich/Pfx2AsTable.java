package org.mpcensus.udf.enrich;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.mpcensus.probe.packet.Bytes;
import org.mpcensus.probe.packet.IpAddress;

/**
 * Longest-prefix match from IP address to origin AS, for IPv4 and IPv6, loaded from a pyasn {@code
 * .dat} file ({@code prefix/len<TAB>asn}, {@code ;} comments) or a CAIDA RouteViews {@code pfx2as}
 * file ({@code prefix<TAB>len<TAB>asn}, where multi-origin {@code a_b} and AS-set {@code a,b} take
 * the first AS). Gzip files are read as such. Per prefix length it keeps sorted arrays of networks
 * (128 bits as two longs), so a lookup is at most one binary search per length present. Immutable
 * and thread-safe once built.
 */
public final class Pfx2AsTable implements Serializable {

    /** The AS number of an address no prefix covers. */
    public static final long UNKNOWN = 0;

    private final Family v4;
    private final Family v6;
    private final int prefixes;

    private Pfx2AsTable(Family v4, Family v6, int prefixes) {
        this.v4 = v4;
        this.v6 = v6;
        this.prefixes = prefixes;
    }

    /** An empty table: every address is {@link #UNKNOWN}. */
    public static Pfx2AsTable empty() {
        return new Builder().build();
    }

    /** Loads a pyasn or pfx2as file; a line that is neither stops the load with its line number. */
    public static Pfx2AsTable load(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in =
                    file.getFileName().toString().endsWith(".gz")
                            ? new GZIPInputStream(raw, 1 << 16)
                            : raw;
            return load(in, file.toString());
        }
    }

    /** Loads from a stream; {@code name} is used in error messages. */
    public static Pfx2AsTable load(InputStream in, String name) throws IOException {
        Builder b = new Builder();
        BufferedReader r =
                new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII), 1 << 16);
        String line;
        long n = 0;
        while ((line = r.readLine()) != null) {
            n++;
            String t = line.trim();
            if (t.isEmpty() || t.startsWith(";") || t.startsWith("#")) {
                continue;
            }
            try {
                b.addLine(t);
            } catch (IllegalArgumentException e) {
                throw new IOException(name + " line " + n + ": " + e.getMessage(), e);
            }
        }
        return b.build();
    }

    /** The number of prefixes in the table. */
    public int size() {
        return prefixes;
    }

    /** The origin AS of the longest prefix covering the address, or {@link #UNKNOWN}. */
    public long lookup(String address) {
        return lookup(IpAddress.parse(address));
    }

    /** The origin AS for a 4- or 16-byte address. */
    public long lookup(byte[] address) {
        if (address.length == 4) {
            return v4.lookup(0, (Bytes.getUnsignedInt(address, 0)) << 32);
        }
        return v6.lookup(Bytes.getLong(address, 0), Bytes.getLong(address, 8));
    }

    /**
     * Prefixes of one address family. IPv4 addresses are kept in the top 32 bits of {@code lo},
     * with {@code hi} 0, so one code path serves both families.
     */
    private static final class Family implements Serializable {
        private final int[] lengths; // present prefix lengths, longest first
        private final long[][] his;
        private final long[][] los;
        private final long[][] asns;
        private final boolean v4;

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
            asns = new long[lengths.length][];
            for (int i = 0; i < lengths.length; i++) {
                List<long[]> entries = byLength[lengths[i]];
                entries.sort(
                        (a, b) -> {
                            int c = Long.compareUnsigned(a[0], b[0]);
                            return c != 0 ? c : Long.compareUnsigned(a[1], b[1]);
                        });
                // Later duplicates of one prefix are dropped: the first line wins,
                // deterministically.
                List<long[]> unique = new ArrayList<>(entries.size());
                for (long[] e : entries) {
                    long[] last = unique.isEmpty() ? null : unique.get(unique.size() - 1);
                    if (last == null || last[0] != e[0] || last[1] != e[1]) {
                        unique.add(e);
                    }
                }
                his[i] = new long[unique.size()];
                los[i] = new long[unique.size()];
                asns[i] = new long[unique.size()];
                for (int j = 0; j < unique.size(); j++) {
                    his[i][j] = unique.get(j)[0];
                    los[i][j] = unique.get(j)[1];
                    asns[i][j] = unique.get(j)[2];
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
                    return asns[i][at];
                }
            }
            return UNKNOWN;
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

    /** Keeps the top {@code bits} bits of a 64-bit word (bits may exceed 64). */
    static long mask(long word, int bits) {
        if (bits <= 0) {
            return 0;
        }
        if (bits >= 64) {
            return word;
        }
        return word & (-1L << (64 - bits));
    }

    /** Collects prefixes, then freezes them into a table. */
    public static final class Builder {
        @SuppressWarnings("unchecked")
        private final List<long[]>[] v4 = new List[33];

        @SuppressWarnings("unchecked")
        private final List<long[]>[] v6 = new List[129];

        private int count;

        public Builder() {
            for (int i = 0; i < v4.length; i++) {
                v4[i] = new ArrayList<>();
            }
            for (int i = 0; i < v6.length; i++) {
                v6[i] = new ArrayList<>();
            }
        }

        /** Adds a pyasn ({@code p/len asn}) or pfx2as ({@code p len asn}) line. */
        void addLine(String line) {
            String[] f = line.split("\\s+");
            String prefix;
            int length;
            String asn;
            if (f.length == 2 && f[0].indexOf('/') > 0) {
                int slash = f[0].indexOf('/');
                prefix = f[0].substring(0, slash);
                length = parseLength(f[0].substring(slash + 1));
                asn = f[1];
            } else if (f.length == 3) {
                prefix = f[0];
                length = parseLength(f[1]);
                asn = f[2];
            } else {
                throw new IllegalArgumentException(
                        "expected 'prefix/len<TAB>asn' (pyasn) or 'prefix<TAB>len<TAB>asn' (pfx2as): '"
                                + line
                                + "'");
            }
            add(prefix, length, parseAsn(asn));
        }

        /** Adds one prefix. */
        public Builder add(String prefix, int length, long asn) {
            byte[] a = IpAddress.parse(prefix);
            int max = a.length * 8;
            if (length < 0 || length > max) {
                throw new IllegalArgumentException("prefix length " + length + " of " + prefix);
            }
            if (a.length == 4) {
                long lo = mask((Bytes.getUnsignedInt(a, 0)) << 32, length);
                v4[length].add(new long[] {0, lo, asn});
            } else {
                long hi = mask(Bytes.getLong(a, 0), length);
                long lo = mask(Bytes.getLong(a, 8), length - 64);
                v6[length].add(new long[] {hi, lo, asn});
            }
            count++;
            return this;
        }

        public Pfx2AsTable build() {
            return new Pfx2AsTable(new Family(true, v4), new Family(false, v6), count);
        }

        private static int parseLength(String s) {
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("prefix length is not a number: '" + s + "'");
            }
        }

        /** The first AS of a multi-origin ({@code a_b}) or AS-set ({@code a,b}) field. */
        static long parseAsn(String s) {
            String first = s.split("[_,]", 2)[0];
            if (first.startsWith("{")) {
                first = first.substring(1);
            }
            if (first.endsWith("}")) {
                first = first.substring(0, first.length() - 1);
            }
            try {
                long asn = Long.parseLong(first);
                if (asn < 0 || asn > 0xffffffffL) {
                    throw new NumberFormatException();
                }
                return asn;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an AS number: '" + s + "'");
            }
        }
    }

    @Override
    public String toString() {
        return "Pfx2AsTable["
                + prefixes
                + " prefixes, v4 lengths "
                + Arrays.toString(v4.lengths)
                + "]";
    }
}
