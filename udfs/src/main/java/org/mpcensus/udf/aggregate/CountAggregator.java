package org.mpcensus.udf.aggregate;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sums {@link CountDelta}s per {@link CountKey} and emits the running totals as upserts. A key
 * keeps its row once it has had a reply (replies never decrease), so its final value is the same in
 * any replay order.
 */
public class CountAggregator extends KeyedProcessFunction<CountKey, CountDelta, CountRow> {
    private transient ValueState<CountRow> total;

    @Override
    public void open(OpenContext openContext) {
        total = getRuntimeContext().getState(new ValueStateDescriptor<>("total", CountRow.class));
    }

    @Override
    public void processElement(CountDelta d, Context ctx, Collector<CountRow> out)
            throws Exception {
        CountRow before = total.value();
        long hosts = (before == null ? 0 : before.hosts()) + d.hosts();
        long replies = (before == null ? 0 : before.replies()) + d.replies();
        CountRow next = new CountRow(d.key(), hosts, replies);
        total.update(next);
        out.collect(next);
    }
}
