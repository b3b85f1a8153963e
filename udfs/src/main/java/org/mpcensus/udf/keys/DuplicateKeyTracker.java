package org.mpcensus.udf.keys;

import java.util.HashSet;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.mpcensus.udf.classify.ClassifiedReply;
import org.mpcensus.udf.host.HostKey;
import org.mpcensus.udf.month.Months;

/**
 * Keyed by (month, key): the hosts that returned a key. A random 64-bit key returned by two
 * addresses in one month is a middlebox's, so once a second address returns it every host that did
 * (earlier and later) gets a {@link DuplicateKeyNotice}. One address answering on two ports or to
 * both versions is no duplicate. A (month, key)'s state goes when the watermark passes the end of
 * the month plus the lateness, as the hosts' own state does; later replies of that month are not
 * applied (the host operator keeps them as late rows) and are counted in {@code rowsPastLateness}.
 */
public class DuplicateKeyTracker
        extends KeyedProcessFunction<String, ClassifiedReply, DuplicateKeyNotice> {
    private final int latenessMonths;
    private transient MapState<String, HostKey> hosts;
    private transient ValueState<Boolean> duplicate;
    private transient Counter tooLate;

    /**
     * @param latenessMonths L: a month's keys are kept until the watermark passes the end of month
     *     M + L
     */
    public DuplicateKeyTracker(int latenessMonths) {
        this.latenessMonths = latenessMonths;
    }

    /** The key of a reply for keyBy: month and sender key. */
    public static String keyOf(ClassifiedReply r) {
        return r.month() + '|' + r.senderKey();
    }

    @Override
    public void open(OpenContext openContext) {
        hosts =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "hosts", Types.STRING, TypeInformation.of(HostKey.class)));
        duplicate =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("duplicate", Types.BOOLEAN));
        tooLate = getRuntimeContext().getMetricGroup().counter("rowsPastLateness");
    }

    @Override
    public void processElement(ClassifiedReply r, Context ctx, Collector<DuplicateKeyNotice> out)
            throws Exception {
        long expiry = Months.lateFrom(r.month(), latenessMonths);
        if (expiry <= ctx.timerService().currentWatermark()) {
            tooLate.inc();
            return;
        }
        HostKey host = HostKey.of(r);
        String id = host.host() + '|' + host.port() + '|' + host.probedVersion();
        if (hosts.contains(id)) {
            return;
        }
        if (hosts.isEmpty()) {
            // The key's first host: every input of the key has the same month, so one timer.
            ctx.timerService().registerEventTimeTimer(expiry);
        }
        hosts.put(id, host);
        if (Boolean.TRUE.equals(duplicate.value())) {
            out.collect(new DuplicateKeyNotice(host, r.senderKey()));
            return;
        }
        Set<String> addresses = new HashSet<>();
        for (HostKey h : hosts.values()) {
            addresses.add(h.host());
        }
        if (addresses.size() >= 2) {
            duplicate.update(true);
            for (HostKey h : hosts.values()) {
                out.collect(new DuplicateKeyNotice(h, r.senderKey()));
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DuplicateKeyNotice> out) {
        hosts.clear();
        duplicate.clear();
    }
}
