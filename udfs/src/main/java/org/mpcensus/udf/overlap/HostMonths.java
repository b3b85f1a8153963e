package org.mpcensus.udf.overlap;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * What {@link OverlapTracker} keeps of one address, in two primitive arrays (one state value, a few
 * dozen bytes per month, where three maps of boxed numbers took about 500): per (month, port) the
 * candidate versions, and per month the origin AS of its latest row and that row's time. A Flink
 * POJO of {@code long[]} fields, so no Kryo.
 */
public class HostMonths {
    /** Per cell: {@code (month << 16 | port) << 2 | versions} (bit 0: v0, bit 1: v1). */
    public long[] cells = new long[0];

    /** Per month: month index, origin AS, capture time of the row that set it; in threes. */
    public long[] origins = new long[0];

    public HostMonths() {}

    /** The cells of months {@code from..to}: (month << 16 | port) to versions. */
    Map<Long, Integer> cellsBetween(int from, int to) {
        Map<Long, Integer> out = new HashMap<>();
        for (long c : cells) {
            long key = c >>> 2;
            int month = (int) (key >> 16);
            if (month >= from && month <= to) {
                out.put(key, (int) (c & 3));
            }
        }
        return out;
    }

    /** Sets a cell's versions; 0 removes it. */
    void putCell(long key, int versions) {
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] >>> 2 == key) {
                if (versions == 0) {
                    cells = remove(cells, i, 1);
                } else {
                    cells[i] = key << 2 | versions;
                }
                return;
            }
        }
        if (versions != 0) {
            cells = Arrays.copyOf(cells, cells.length + 1);
            cells[cells.length - 1] = key << 2 | versions;
        }
    }

    /** The origin AS of a month, or null. */
    Long origin(int month) {
        int i = originAt(month);
        return i < 0 ? null : origins[i + 1];
    }

    /** The time of the row that set a month's origin, or null. */
    Long originTime(int month) {
        int i = originAt(month);
        return i < 0 ? null : origins[i + 2];
    }

    void putOrigin(int month, long asn, long time) {
        int i = originAt(month);
        if (i < 0) {
            i = origins.length;
            origins = Arrays.copyOf(origins, origins.length + 3);
            origins[i] = month;
        }
        origins[i + 1] = asn;
        origins[i + 2] = time;
    }

    /** Removes the cells and origins of every month {@code expired} says is over. */
    void removeMonths(IntPredicate expired) {
        for (int i = cells.length - 1; i >= 0; i--) {
            if (expired.test((int) (cells[i] >>> 18))) {
                cells = remove(cells, i, 1);
            }
        }
        for (int i = origins.length - 3; i >= 0; i -= 3) {
            if (expired.test((int) origins[i])) {
                origins = remove(origins, i, 3);
            }
        }
    }

    boolean holdsNothing() {
        return cells.length == 0 && origins.length == 0;
    }

    private int originAt(int month) {
        for (int i = 0; i < origins.length; i += 3) {
            if (origins[i] == month) {
                return i;
            }
        }
        return -1;
    }

    private static long[] remove(long[] a, int at, int n) {
        long[] out = new long[a.length - n];
        System.arraycopy(a, 0, out, 0, at);
        System.arraycopy(a, at + n, out, at, a.length - at - n);
        return out;
    }
}
