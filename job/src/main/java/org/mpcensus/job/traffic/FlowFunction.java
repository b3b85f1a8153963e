package org.mpcensus.job.traffic;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.mpcensus.probe.event.TrafficPacket;
import org.mpcensus.probe.traffic.FlowRecord;
import org.mpcensus.probe.traffic.FlowState;

/**
 * The flows of packets keyed by trace and 5-tuple ({@link TrafficPacket#flowKey}): the keyed-state
 * form of {@link org.mpcensus.probe.traffic.FlowTable}, with one event-time timer per flow for its
 * idle time. At the end of a bounded trace the last flows end as {@code END}.
 */
public final class FlowFunction extends KeyedProcessFunction<String, TrafficPacket, FlowRecord> {
    private final long idleMicros;
    private transient ValueState<FlowState> flow;

    public FlowFunction(long idleMicros) {
        this.idleMicros = idleMicros;
    }

    @Override
    public void open(OpenContext context) {
        flow =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "flow", TypeInformation.of(FlowState.class)));
    }

    @Override
    public void processElement(TrafficPacket p, Context ctx, Collector<FlowRecord> out)
            throws Exception {
        FlowState f = flow.value();
        if (f != null && f.endsBefore(p, idleMicros)) {
            out.collect(f.record(f.end(false)));
            f = null;
        }
        if (f == null) {
            f = FlowState.start(p);
            ctx.timerService().registerEventTimeTimer(due(p.micros()));
        }
        f.add(p);
        flow.update(f);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FlowRecord> out)
            throws Exception {
        FlowState f = flow.value();
        if (f == null) {
            return;
        }
        boolean traceOver = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
        if (!traceOver && due(f.last) > timestamp) {
            ctx.timerService().registerEventTimeTimer(due(f.last));
            return;
        }
        out.collect(f.record(f.end(traceOver)));
        flow.clear();
    }

    /** The timer (milliseconds) at which a flow last seen at {@code micros} is idle. */
    private long due(long micros) {
        return (micros + idleMicros) / 1000 + 1;
    }
}
