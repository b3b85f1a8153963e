package org.mpcensus.udf.window;

import java.util.Arrays;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.host.HostRow;
import org.mpcensus.udf.month.Months;

/**
 * Per host (address, port, probed version), which months it was a candidate in (calendar months,
 * UTC, event time), and for each month M it was seen in: consistent when a candidate in all W
 * months ending at M, transient when a candidate at M but in fewer than k of them. Months may
 * arrive in any order (a backfill of month 3, then 1, then 2): every change re-emits the months it
 * affects, so the final rows do not depend on the order. A month's entry is kept until the
 * watermark passes the end of the last window that contains it plus the allowed lateness; then it
 * is cleared (when the host's next row comes, or by the host's one timer, set for its latest
 * month), and with the last entry all of the host's state and timers. A row for a month whose entry
 * is already cleared (later than the lateness allows) is not applied, and is counted in the {@code
 * rowsPastLateness} metric.
 *
 * <p>The state per host is one sorted {@code int[]} of {@code month index * 2 + (candidate ? 1 :
 * 0)} and one timer, so that a tracked host costs about a hundred bytes in a checkpoint ({@code
 * job/bench/bench state}).
 */
public class ConsistencyWindow extends KeyedProcessFunction<HostIdentity, HostRow, ConsistencyRow> {
    private final int window;
    private final int transientBelow;
    private final int latenessMonths;

    /** The months the host was seen in, sorted: month index * 2 + (candidate ? 1 : 0). */
    private transient ValueState<int[]> months;

    private transient Counter tooLate;

    /**
     * @param window W, months in a window (3 in the published studies)
     * @param transientBelow k: a candidate in fewer than k months of the window is transient
     * @param latenessMonths months after a window's end that late data is still taken
     */
    public ConsistencyWindow(int window, int transientBelow, int latenessMonths) {
        if (window < 1 || transientBelow < 0 || latenessMonths < 0) {
            throw new IllegalArgumentException("window " + window + ", k " + transientBelow);
        }
        this.window = window;
        this.transientBelow = transientBelow;
        this.latenessMonths = latenessMonths;
    }

    @Override
    public void open(OpenContext openContext) {
        months =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "candidate-months",
                                        PrimitiveArrayTypeInfo.INT_PRIMITIVE_ARRAY_TYPE_INFO));
        tooLate = getRuntimeContext().getMetricGroup().counter("rowsPastLateness");
    }

    /** When month m's entry is no longer needed: its last window has closed, plus the lateness. */
    private long expiry(int m) {
        return Months.startMillis(m + window + latenessMonths);
    }

    @Override
    public void processElement(HostRow r, Context ctx, Collector<ConsistencyRow> out)
            throws Exception {
        int m = Months.index(r.month());
        long watermark = ctx.timerService().currentWatermark();
        if (Months.lateFrom(m, latenessMonths) <= watermark) {
            // Months this row's windows need may already be cleared: applying it would undercount.
            tooLate.inc();
            return;
        }
        boolean candidate = r.classification() == Classification.CANDIDATE;
        int[] stored = months.value();
        int[] entries = unexpired(stored == null ? new int[0] : stored, watermark);
        int at = find(entries, m);
        if (at >= 0 && (entries[at] & 1) == (candidate ? 1 : 0)) {
            if (entries.length != stored.length) {
                months.update(entries);
            }
            return;
        }
        int latest = entries.length == 0 ? Integer.MIN_VALUE : entries[entries.length - 1] >> 1;
        entries = with(entries, at, m, candidate);
        months.update(entries);
        // One timer per host, for the expiry of its latest month.
        if (m > latest) {
            if (latest != Integer.MIN_VALUE) {
                ctx.timerService().deleteEventTimeTimer(expiry(latest));
            }
            ctx.timerService().registerEventTimeTimer(expiry(m));
        }
        for (int affected = m; affected < m + window; affected++) {
            int i = find(entries, affected);
            if (i >= 0) {
                out.collect(row(entries, affected, (entries[i] & 1) == 1, r));
            }
        }
    }

    /** The entries whose expiry is after {@code time} (the same array when none expired). */
    private int[] unexpired(int[] entries, long time) {
        int expired = 0;
        while (expired < entries.length && expiry(entries[expired] >> 1) <= time) {
            expired++;
        }
        return expired == 0 ? entries : Arrays.copyOfRange(entries, expired, entries.length);
    }

    /** The index of month m's entry, or -1. */
    private static int find(int[] entries, int m) {
        for (int i = 0; i < entries.length; i++) {
            if (entries[i] >> 1 == m) {
                return i;
            }
        }
        return -1;
    }

    /** A new array with month m's entry set (replaced at {@code at}, or inserted in order). */
    private static int[] with(int[] entries, int at, int m, boolean candidate) {
        int entry = m * 2 + (candidate ? 1 : 0);
        if (at >= 0) {
            int[] copy = entries.clone();
            copy[at] = entry;
            return copy;
        }
        int[] copy = new int[entries.length + 1];
        int i = 0;
        while (i < entries.length && entries[i] >> 1 < m) {
            copy[i] = entries[i];
            i++;
        }
        copy[i] = entry;
        System.arraycopy(entries, i, copy, i + 1, entries.length - i);
        return copy;
    }

    private ConsistencyRow row(int[] entries, int m, boolean candidate, HostRow r) {
        int count = 0;
        for (int e : entries) {
            int month = e >> 1;
            if (month > m - window && month <= m && (e & 1) == 1) {
                count++;
            }
        }
        return new ConsistencyRow(
                Months.month(m),
                r.host(),
                r.port(),
                r.probedVersion(),
                r.ipVersion(),
                r.asn(),
                candidate,
                count,
                window,
                candidate && count == window,
                candidate && count < transientBelow);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ConsistencyRow> out)
            throws Exception {
        int[] stored = months.value();
        if (stored == null) {
            return;
        }
        int[] entries = unexpired(stored, timestamp);
        if (entries.length == 0) {
            months.clear();
        } else if (entries.length != stored.length) {
            months.update(entries);
        }
    }
}
