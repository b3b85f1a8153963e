package org.mpcensus.udf.aggregate;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.mpcensus.probe.packet.IpAddress;
import org.roaringbitmap.RoaringBitmap;

/**
 * An exact set of IP addresses: IPv4 addresses in a Roaring bitmap of their 32-bit values, IPv6
 * addresses as 128-bit values in an open-addressing hash table of two {@code long}s each. Nothing
 * is sampled or hashed away: {@link #size()} is the number of distinct addresses added. A Roaring
 * bitmap holds a dense prefix in at most 8 KiB per /16 and a sparse one in 2 bytes per address, so
 * a month's responders of one key take megabytes where strings took gigabytes.
 *
 * <p>Its Flink type is {@link AddressSetSerializer} (no Kryo).
 */
@TypeInfo(AddressSetSerializer.TypeFactory.class)
public final class AddressSet {
    private static final int MIN_SLOTS = 16;

    /** Up to this many IPv4 addresses are added one by one rather than merged. */
    private static final int FEW = 1024;

    private final RoaringBitmap v4;

    /** IPv6 slots: {@code slots[2i]} upper and {@code slots[2i+1]} lower half; (0, 0) is empty. */
    private long[] v6;

    private int v6Size;

    /** Whether the unspecified address {@code ::} (which an empty slot cannot hold) is in. */
    private boolean v6Zero;

    /**
     * Where {@link #add(String)} parses an IPv6 literal (made on the first; a set is one thread's).
     */
    private transient long[] scratch;

    public AddressSet() {
        this(new RoaringBitmap());
    }

    private AddressSet(RoaringBitmap v4) {
        this.v4 = v4;
    }

    /**
     * Adds an address in its textual form.
     *
     * @return whether it was not in the set before
     * @throws IllegalArgumentException when the text is not an address
     */
    public boolean add(String address) {
        long v4Bits = IpAddress.v4Bits(address);
        if (v4Bits >= 0) {
            return addV4((int) v4Bits);
        }
        long[] v6Bits = scratch;
        if (v6Bits == null) {
            v6Bits = scratch = new long[2];
        }
        if (IpAddress.v6Bits(address, v6Bits)) {
            return addV6(v6Bits[0], v6Bits[1]);
        }
        byte[] b = IpAddress.parse(address);
        if (b.length == 4) {
            return addV4(toInt(b));
        }
        return addV6(toLong(b, 0), toLong(b, 8));
    }

    /** Adds an IPv4 address given as its 32 bits; returns whether it was new. */
    public boolean addV4(int address) {
        return v4.checkedAdd(address);
    }

    /** Adds an IPv6 address given as its upper and lower 64 bits; returns whether it was new. */
    public boolean addV6(long upper, long lower) {
        if (upper == 0 && lower == 0) {
            boolean added = !v6Zero;
            v6Zero = true;
            return added;
        }
        if (v6 == null) {
            v6 = new long[2 * MIN_SLOTS];
        } else if ((v6Size + 1) * 10L > (v6.length / 2) * 7L) {
            grow();
        }
        if (!insert(v6, upper, lower)) {
            return false;
        }
        v6Size++;
        return true;
    }

    /** Whether the set holds the address (in textual form). */
    public boolean contains(String address) {
        byte[] b = IpAddress.parse(address);
        return b.length == 4 ? v4.contains(toInt(b)) : containsV6(toLong(b, 0), toLong(b, 8));
    }

    private boolean containsV6(long upper, long lower) {
        if (upper == 0 && lower == 0) {
            return v6Zero;
        }
        if (v6 == null) {
            return false;
        }
        int mask = v6.length / 2 - 1;
        for (int i = slot(upper, lower, mask); ; i = (i + 1) & mask) {
            long u = v6[2 * i];
            long l = v6[2 * i + 1];
            if (u == 0 && l == 0) {
                return false;
            }
            if (u == upper && l == lower) {
                return true;
            }
        }
    }

    /** The number of distinct addresses. */
    public long size() {
        return v4.getLongCardinality() + v6Size + (v6Zero ? 1 : 0);
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /** The addresses of this set that {@code other} does not hold, as a new set. */
    public AddressSet without(AddressSet other) {
        AddressSet out = new AddressSet(RoaringBitmap.andNot(v4, other.v4));
        if (v6Zero && !other.v6Zero) {
            out.v6Zero = true;
        }
        forEachV6(
                (u, l) -> {
                    if (!other.containsV6(u, l)) {
                        out.addV6(u, l);
                    }
                });
        return out;
    }

    /** How many addresses of this set {@code other} holds too. */
    public long sizeWithin(AddressSet other) {
        long[] n = {RoaringBitmap.andCardinality(v4, other.v4)};
        if (v6Zero && other.v6Zero) {
            n[0]++;
        }
        forEachV6(
                (u, l) -> {
                    if (other.containsV6(u, l)) {
                        n[0]++;
                    }
                });
        return n[0];
    }

    /** Adds every address of {@code other}. */
    public void addAll(AddressSet other) {
        if (other.v4.getLongCardinality() <= FEW) {
            // A few addresses into a large set (a host at a time): each found by binary search,
            // where a merge would walk every container of this set for each of them.
            other.v4.forEach((org.roaringbitmap.IntConsumer) v4::add);
        } else {
            v4.or(other.v4);
        }
        if (other.v6Zero) {
            v6Zero = true;
        }
        other.forEachV6(this::addV6);
    }

    /** Empties the set. */
    public void clear() {
        v4.clear();
        v6 = null;
        v6Size = 0;
        v6Zero = false;
    }

    /** Bytes of heap the set takes, roughly (the bitmap's own estimate plus the IPv6 table). */
    public long heapBytes() {
        return v4.getLongSizeInBytes() + (v6 == null ? 0 : 8L * v6.length) + 32;
    }

    /** A deep copy. */
    public AddressSet copy() {
        AddressSet c = new AddressSet(v4.clone());
        c.v6 = v6 == null ? null : v6.clone();
        c.v6Size = v6Size;
        c.v6Zero = v6Zero;
        return c;
    }

    /** The flag bit of the stored form that says {@code ::} is in the set. */
    private static final int ZERO_IN = 1;

    /**
     * The flag bit of the stored form that says the IPv6 addresses follow in ascending order as
     * variable-length deltas (without it, as a count and 16 bytes each: the form before).
     */
    private static final int V6_DELTAS = 2;

    /**
     * With {@link #V6_DELTAS}: the lower 64 bits of an address whose upper bits differ from the
     * address before are 8 bytes rather than variable length (random interface identifiers).
     */
    private static final int V6_WHOLE_LOWER = 4;

    /**
     * The set in its serialized form, as the census keeps it in a database and in checkpoints: the
     * bitmap in Roaring's portable format, a flag byte, then the IPv6 addresses in ascending order:
     * their number, and per address the difference of its upper 64 bits to the address before
     * (unsigned, variable length), then its lower 64 bits as the difference to the address before
     * when the upper bits are the same, else whole (variable length, or 8 bytes where that is
     * shorter for the set). Addresses of a network share their upper bits, so most take a few bytes
     * instead of 16.
     */
    public byte[] toBytes() {
        v4.runOptimize();
        long[] sorted = sortedV6();
        long v6Bytes = AddressCodec.varintSize(v6Size);
        long varintLower = 0;
        long wholeLower = 0;
        long upper = 0;
        long lower = 0;
        for (int i = 0; i < sorted.length; i += 2) {
            long du = sorted[i] - upper;
            v6Bytes += AddressCodec.varintSize(du);
            if (du == 0) {
                v6Bytes += AddressCodec.varintSize(sorted[i + 1] - lower);
            } else {
                varintLower += AddressCodec.varintSize(sorted[i + 1]);
                wholeLower += 8;
            }
            upper = sorted[i];
            lower = sorted[i + 1];
        }
        boolean whole = wholeLower < varintLower;
        v6Bytes += whole ? wholeLower : varintLower;
        java.nio.ByteBuffer out =
                java.nio.ByteBuffer.allocate(
                        Math.toIntExact(v4.serializedSizeInBytes() + 1 + v6Bytes));
        v4.serialize(out);
        out.put((byte) ((v6Zero ? ZERO_IN : 0) | V6_DELTAS | (whole ? V6_WHOLE_LOWER : 0)));
        AddressCodec.putVarint(out, v6Size);
        upper = 0;
        lower = 0;
        for (int i = 0; i < sorted.length; i += 2) {
            long du = sorted[i] - upper;
            AddressCodec.putVarint(out, du);
            if (du != 0 && whole) {
                out.putLong(sorted[i + 1]);
            } else {
                AddressCodec.putVarint(out, du == 0 ? sorted[i + 1] - lower : sorted[i + 1]);
            }
            upper = sorted[i];
            lower = sorted[i + 1];
        }
        return out.array();
    }

    /** A set from {@link #toBytes}. */
    public static AddressSet fromBytes(byte[] bytes) {
        try {
            return read(new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Writes the set in the form of {@link #toBytes}. */
    void write(DataOutput out) throws IOException {
        out.write(toBytes());
    }

    /** Reads a set {@link #write} wrote, or the form before IPv6 deltas. */
    static AddressSet read(DataInput in) throws IOException {
        AddressSet s = new AddressSet();
        s.v4.deserialize(in);
        int flags = in.readUnsignedByte();
        if ((flags & ~(ZERO_IN | V6_DELTAS | V6_WHOLE_LOWER)) != 0
                || (flags & (V6_DELTAS | V6_WHOLE_LOWER)) == V6_WHOLE_LOWER) {
            throw new IOException("unknown address set flags " + flags);
        }
        s.v6Zero = (flags & ZERO_IN) != 0;
        if ((flags & V6_DELTAS) == 0) {
            int n = in.readInt();
            if (n < 0) {
                throw new IOException("negative IPv6 address count " + n);
            }
            for (int i = 0; i < n; i++) {
                s.addV6(in.readLong(), in.readLong());
            }
            return s;
        }
        long n = AddressCodec.readVarint(in);
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new IOException("IPv6 address count out of range: " + n);
        }
        boolean whole = (flags & V6_WHOLE_LOWER) != 0;
        long upper = 0;
        long lower = 0;
        for (long i = 0; i < n; i++) {
            long du = AddressCodec.readVarint(in);
            long l = du != 0 && whole ? in.readLong() : AddressCodec.readVarint(in);
            upper += du;
            lower = du == 0 ? lower + l : l;
            if (i > 0 && du == 0 && l == 0) {
                throw new IOException("an IPv6 address repeated in a stored set");
            }
            s.addV6(upper, lower);
        }
        return s;
    }

    /** The IPv6 addresses as (upper, lower) pairs in ascending unsigned order. */
    private long[] sortedV6() {
        long[] pairs = new long[2 * v6Size];
        int[] at = {0};
        forEachV6(
                (u, l) -> {
                    pairs[at[0]++] = u;
                    pairs[at[0]++] = l;
                });
        AddressCodec.sortPairs(pairs, 0, v6Size - 1);
        return pairs;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AddressSet other)) {
            return false;
        }
        return v4.equals(other.v4)
                && v6Zero == other.v6Zero
                && v6Size == other.v6Size
                && sizeWithin(other) == size();
    }

    @Override
    public int hashCode() {
        long[] h = {v4.hashCode() * 31L + (v6Zero ? 1 : 0)};
        forEachV6((u, l) -> h[0] += Long.hashCode(u * 0x9E3779B97F4A7C15L ^ l));
        return Long.hashCode(h[0]);
    }

    @Override
    public String toString() {
        return "AddressSet{" + size() + " addresses}";
    }

    private interface V6Consumer {
        void accept(long upper, long lower);
    }

    private void forEachV6(V6Consumer c) {
        if (v6 == null) {
            return;
        }
        for (int i = 0; i < v6.length; i += 2) {
            if (v6[i] != 0 || v6[i + 1] != 0) {
                c.accept(v6[i], v6[i + 1]);
            }
        }
    }

    private void grow() {
        long[] old = v6;
        long[] bigger = new long[old.length * 2];
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != 0 || old[i + 1] != 0) {
                insert(bigger, old[i], old[i + 1]);
            }
        }
        v6 = bigger;
    }

    /** Puts a non-zero address into a table with a free slot; false when it is there already. */
    private static boolean insert(long[] table, long upper, long lower) {
        int mask = table.length / 2 - 1;
        for (int i = slot(upper, lower, mask); ; i = (i + 1) & mask) {
            long u = table[2 * i];
            long l = table[2 * i + 1];
            if (u == 0 && l == 0) {
                table[2 * i] = upper;
                table[2 * i + 1] = lower;
                return true;
            }
            if (u == upper && l == lower) {
                return false;
            }
        }
    }

    private static int slot(long upper, long lower, int mask) {
        long h = upper * 0x9E3779B97F4A7C15L + lower;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int) h & mask;
    }

    private static int toInt(byte[] b) {
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    private static long toLong(byte[] b, int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[offset + i] & 0xff);
        }
        return v;
    }
}
