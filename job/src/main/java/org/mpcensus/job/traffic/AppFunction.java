package org.mpcensus.job.traffic;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.mpcensus.probe.traffic.FlowRecord;

/**
 * Sums flows into their {@code traffic_apps} row (keyed by {@link #key}) and emits the row as it
 * stands after each flow, for upserts.
 */
public final class AppFunction extends KeyedProcessFunction<String, FlowRecord, TrafficAppRow> {
    private final PortMap ports;
    private transient ValueState<TrafficAppRow> row;

    public AppFunction(PortMap ports) {
        this.ports = ports;
    }

    /** The row a flow counts in: its trace and its server port's application. */
    public static String key(FlowRecord f, PortMap ports) {
        return f.trace() + '|' + ports.app(f.serverPort());
    }

    @Override
    public void open(OpenContext context) {
        row =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "app", TypeInformation.of(TrafficAppRow.class)));
    }

    @Override
    public void processElement(FlowRecord f, Context ctx, Collector<TrafficAppRow> out)
            throws Exception {
        TrafficAppRow r = row.value();
        if (r == null) {
            r = new TrafficAppRow(f.trace(), ports.app(f.serverPort()), 0, 0, 0, 0);
            // The row is final when the input ends; its state goes then.
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }
        boolean mptcp = f.mptcp() || f.subflow();
        TrafficAppRow next =
                new TrafficAppRow(
                        r.trace(),
                        r.app(),
                        r.tcpFlows() + 1,
                        r.tcpBytes() + f.bytes(),
                        r.mptcpFlows() + (mptcp ? 1 : 0),
                        r.mptcpBytes() + (mptcp ? f.bytes() : 0));
        row.update(next);
        out.collect(next);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrafficAppRow> out) {
        row.clear();
    }
}
