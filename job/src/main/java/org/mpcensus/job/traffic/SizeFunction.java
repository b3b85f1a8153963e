package org.mpcensus.job.traffic;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.mpcensus.probe.traffic.FlowRecord;

/**
 * Keeps the byte count of each MPTCP flow of a trace (the key) and, when the trace has been read to
 * its end, emits its {@link TrafficSizeRow}. The state is one number per MPTCP flow, a small share
 * of a trace's flows.
 */
public final class SizeFunction extends KeyedProcessFunction<String, FlowRecord, TrafficSizeRow> {
    private transient ListState<Long> sizes;

    @Override
    public void open(OpenContext context) {
        sizes = getRuntimeContext().getListState(new ListStateDescriptor<>("sizes", Types.LONG));
    }

    @Override
    public void processElement(FlowRecord f, Context ctx, Collector<TrafficSizeRow> out)
            throws Exception {
        if (f.mptcp() || f.subflow()) {
            sizes.add(f.bytes());
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrafficSizeRow> out)
            throws Exception {
        List<Long> all = new ArrayList<>();
        sizes.get().forEach(all::add);
        // The input is over (the timer is the end of time): the sizes are read for the last time.
        sizes.clear();
        if (all.isEmpty()) {
            return;
        }
        all.sort((a, b) -> Long.compare(b, a));
        long total = all.stream().mapToLong(Long::longValue).sum();
        out.collect(
                new TrafficSizeRow(
                        ctx.getCurrentKey(),
                        all.size(),
                        total,
                        share(all, 1, total),
                        share(all, 5, total),
                        share(all, (all.size() + 1) / 2, total)));
    }

    /** The share of {@code total} the first {@code n} sizes carry. */
    static double share(List<Long> descending, int n, long total) {
        long top = 0;
        for (int i = 0; i < Math.min(n, descending.size()); i++) {
            top += descending.get(i);
        }
        return total == 0 ? 0 : (double) top / total;
    }
}
