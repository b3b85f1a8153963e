package org.mpcensus.job.traffic;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.mpcensus.probe.traffic.FlowRecord;

/**
 * Sums a trace's flows (the key is the trace) into its {@code traffic_share} rows, one per time
 * bucket (UTC day, or the whole trace) and IP version, and emits each row as it stands after each
 * flow, for upserts. When the trace has been read to its end (the watermark's end), it emits every
 * row again with the exponentially weighted moving averages of its flow counts over the buckets, in
 * order per IP version.
 */
public final class ShareFunction extends KeyedProcessFunction<String, FlowRecord, TrafficShareRow> {
    /** The bucket of every flow when a trace is one bucket. */
    public static final String CAPTURE = "capture";

    private final double alpha;
    private final boolean byDay;
    private transient MapState<String, TrafficShareRow> rows;

    /**
     * @param alpha the weight of the newest bucket in the averages
     * @param byDay whether the buckets are UTC days ({@link TrafficOptions#BUCKET} {@code day}),
     *     else the whole trace
     */
    public ShareFunction(double alpha, boolean byDay) {
        this.alpha = alpha;
        this.byDay = byDay;
    }

    /** The UTC day of a flow's first packet. */
    public static String day(FlowRecord f) {
        return Instant.ofEpochSecond(f.firstMicros() / 1_000_000)
                .atZone(ZoneOffset.UTC)
                .toLocalDate()
                .toString();
    }

    @Override
    public void open(OpenContext context) {
        rows =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "shares",
                                        Types.STRING,
                                        TypeInformation.of(TrafficShareRow.class)));
    }

    @Override
    public void processElement(FlowRecord f, Context ctx, Collector<TrafficShareRow> out)
            throws Exception {
        String bucket = byDay ? day(f) : CAPTURE;
        String key = f.ipVersion() + "|" + bucket;
        TrafficShareRow r = rows.get(key);
        if (r == null) {
            r =
                    new TrafficShareRow(
                            f.trace(),
                            bucket,
                            f.ipVersion(),
                            0,
                            0,
                            0,
                            0,
                            0,
                            0,
                            0,
                            0,
                            Double.NaN,
                            Double.NaN);
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }
        boolean mptcp = f.mptcp() || f.subflow();
        TrafficShareRow next =
                new TrafficShareRow(
                        r.trace(),
                        r.bucket(),
                        r.ipVersion(),
                        r.tcpFlows() + 1,
                        r.tcpBytes() + f.bytes(),
                        r.mptcpFlows() + (mptcp ? 1 : 0),
                        r.mptcpBytes() + (mptcp ? f.bytes() : 0),
                        r.connections() + (f.mptcp() ? 1 : 0),
                        r.subflows() + (f.subflow() ? 1 : 0),
                        r.v0Connections() + (f.mptcpVersion() == 0 ? 1 : 0),
                        r.v1Connections() + (f.mptcpVersion() == 1 ? 1 : 0),
                        Double.NaN,
                        Double.NaN);
        rows.put(key, next);
        out.collect(next);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrafficShareRow> out)
            throws Exception {
        List<TrafficShareRow> all = new ArrayList<>();
        rows.values().forEach(all::add);
        // Per IP version, in day order (the ISO day sorts as text).
        all.sort(
                (a, b) ->
                        a.ipVersion() != b.ipVersion()
                                ? Integer.compare(a.ipVersion(), b.ipVersion())
                                : a.bucket().compareTo(b.bucket()));
        int version = -1;
        double tcp = 0;
        double mptcp = 0;
        for (TrafficShareRow r : all) {
            if (r.ipVersion() != version) {
                version = r.ipVersion();
                tcp = r.tcpFlows();
                mptcp = r.mptcpFlows();
            } else {
                tcp = alpha * r.tcpFlows() + (1 - alpha) * tcp;
                mptcp = alpha * r.mptcpFlows() + (1 - alpha) * mptcp;
            }
            out.collect(r.withEwma(tcp, mptcp));
        }
        // The input is over (the timer is the end of time): the trace's rows are final.
        rows.clear();
    }
}
