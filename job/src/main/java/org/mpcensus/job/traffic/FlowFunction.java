package org.mpcensus.job.traffic;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.mpcensus.probe.traffic.FlowKey;
import org.mpcensus.probe.traffic.FlowRecord;
import org.mpcensus.probe.traffic.FlowState;
import org.mpcensus.probe.traffic.PartialFlow;

/**
 * The flows of the traces, keyed by trace and 5-tuple ({@link FlowKey}), merged from the partial
 * flows the readers folded ({@link FlowFoldOperator}). A partial flow that ends its flow and has no
 * earlier part goes straight out, with no state; the parts of a flow open across a checkpoint are
 * merged in keyed state ({@link FlowState#absorb}), where a continuation's first packet decides
 * whether it continues the flow or opens a new one, and an event-time timer ends the flow when it
 * is idle. At the end of a bounded trace the last flows end as {@code END}. The result is the flows
 * {@link org.mpcensus.probe.traffic.FlowTable} finds packet by packet.
 */
public final class FlowFunction extends KeyedProcessFunction<FlowKey, PartialFlow, FlowRecord> {
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
    public void processElement(PartialFlow p, Context ctx, Collector<FlowRecord> out)
            throws Exception {
        FlowState f = flow.value();
        boolean held = f != null;
        // A partial flow folded from its flow's first packet cannot continue a held flow: what is
        // held ended (idle at an earlier watermark of the folder's input).
        if (f != null && (!p.continuation() || f.endsBefore(p.first(), idleMicros))) {
            out.collect(f.record(f.end(false)));
            f = null;
        }
        boolean opens = f == null;
        if (opens) {
            f = p.fold();
        } else {
            f.absorb(p.first(), p.fold());
        }
        if (p.next() == PartialFlow.Next.MORE) {
            flow.update(f);
            if (opens) {
                ctx.timerService().registerEventTimeTimer(f.idleAt(idleMicros));
            }
            return;
        }
        out.collect(f.record(f.end(p.next() == PartialFlow.Next.TRACE_OVER)));
        if (held) {
            flow.clear();
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FlowRecord> out)
            throws Exception {
        FlowState f = flow.value();
        if (f == null) {
            return;
        }
        boolean traceOver = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
        if (!traceOver && f.idleAt(idleMicros) > timestamp) {
            ctx.timerService().registerEventTimeTimer(f.idleAt(idleMicros));
            return;
        }
        out.collect(f.record(f.end(traceOver)));
        flow.clear();
    }
}
