package org.mpcensus.job.traffic;

import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.mpcensus.probe.traffic.FlowRecord;

/**
 * Sums flows into their {@code traffic_share} row (keyed by {@link #key}) and emits the row as it
 * stands after each flow, for upserts.
 */
public final class ShareFunction extends KeyedProcessFunction<String, FlowRecord, TrafficShareRow> {
    private transient ValueState<TrafficShareRow> row;

    /** The UTC day of a flow's first packet. */
    public static String day(FlowRecord f) {
        return Instant.ofEpochSecond(f.firstMicros() / 1_000_000)
                .atZone(ZoneOffset.UTC)
                .toLocalDate()
                .toString();
    }

    /** The row a flow counts in. */
    public static String key(FlowRecord f) {
        return f.trace() + '|' + day(f) + '|' + f.ipVersion();
    }

    @Override
    public void open(OpenContext context) {
        row =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "share", TypeInformation.of(TrafficShareRow.class)));
    }

    @Override
    public void processElement(FlowRecord f, Context ctx, Collector<TrafficShareRow> out)
            throws Exception {
        TrafficShareRow r = row.value();
        if (r == null) {
            r = new TrafficShareRow(f.trace(), day(f), f.ipVersion(), 0, 0, 0, 0, 0, 0, 0, 0);
        }
        boolean mptcp = f.mptcp() || f.subflow();
        TrafficShareRow next =
                new TrafficShareRow(
                        r.trace(),
                        r.day(),
                        r.ipVersion(),
                        r.tcpFlows() + 1,
                        r.tcpBytes() + f.bytes(),
                        r.mptcpFlows() + (mptcp ? 1 : 0),
                        r.mptcpBytes() + (mptcp ? f.bytes() : 0),
                        r.connections() + (f.mptcp() ? 1 : 0),
                        r.subflows() + (f.subflow() ? 1 : 0),
                        r.v0Connections() + (f.mptcpVersion() == 0 ? 1 : 0),
                        r.v1Connections() + (f.mptcpVersion() == 1 ? 1 : 0));
        row.update(next);
        out.collect(next);
    }
}
