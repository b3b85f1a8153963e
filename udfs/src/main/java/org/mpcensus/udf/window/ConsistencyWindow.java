package org.mpcensus.udf.window;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.mpcensus.udf.aggregate.HostRow;
import org.mpcensus.udf.classify.Classification;

/**
 * Per host (address, port, probed version), which months it was a candidate in (calendar months,
 * UTC, event time), and for each month M it was seen in: consistent when a candidate in all W
 * months ending at M, transient when a candidate at M but in fewer than k of them. Months may
 * arrive in any order (a backfill of month 3, then 1, then 2): every change re-emits the months it
 * affects, so the final rows do not depend on the order. A month's entry is kept until the
 * watermark passes the end of the last window that contains it plus the allowed lateness; then it
 * is cleared, and with the last entry all of the host's state and timers. A row for a month whose
 * entry is already cleared (later than the lateness allows) is not applied, and is counted in the
 * {@code rowsPastLateness} metric.
 */
public class ConsistencyWindow extends KeyedProcessFunction<HostIdentity, HostRow, ConsistencyRow> {
    private final int window;
    private final int transientBelow;
    private final int latenessMonths;
    private transient MapState<Integer, Boolean> months;
    private transient ValueState<HostRow> last;
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
                        .getMapState(new MapStateDescriptor<>("months", Types.INT, Types.BOOLEAN));
        last = getRuntimeContext().getState(new ValueStateDescriptor<>("last", HostRow.class));
        tooLate = getRuntimeContext().getMetricGroup().counter("rowsPastLateness");
    }

    @Override
    public void processElement(HostRow r, Context ctx, Collector<ConsistencyRow> out)
            throws Exception {
        int m = Months.index(r.month());
        if (Months.startMillis(m + 1 + latenessMonths) <= ctx.timerService().currentWatermark()) {
            // Months this row's windows need may already be cleared: applying it would undercount.
            tooLate.inc();
            return;
        }
        boolean candidate = r.classification() == Classification.CANDIDATE;
        Boolean before = months.get(m);
        last.update(r);
        if (before != null && before == candidate) {
            return;
        }
        months.put(m, candidate);
        // The entry is needed until the last window containing it closes, plus the lateness.
        ctx.timerService().registerEventTimeTimer(Months.startMillis(m + window + latenessMonths));
        for (int affected = m; affected < m + window; affected++) {
            Boolean present = months.get(affected);
            if (present != null) {
                out.collect(row(affected, present, r));
            }
        }
    }

    private ConsistencyRow row(int m, boolean candidate, HostRow r) throws Exception {
        int count = 0;
        for (int i = m - window + 1; i <= m; i++) {
            Boolean c = months.get(i);
            if (c != null && c) {
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
        // Entries whose last window (plus lateness) has closed by this time are no longer needed.
        java.util.List<Integer> expired = new java.util.ArrayList<>();
        for (Integer m : months.keys()) {
            if (Months.startMillis(m + window + latenessMonths) <= timestamp) {
                expired.add(m);
            }
        }
        for (Integer m : expired) {
            months.remove(m);
        }
        if (months.isEmpty()) {
            months.clear();
            last.clear();
        }
    }
}
