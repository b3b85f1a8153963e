package org.mpcensus.udf.aggregate;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.mpcensus.udf.classify.ClassifiedReply;
import org.mpcensus.udf.month.Months;
import org.mpcensus.udf.scope.Scope;

/**
 * The plain path of the census: folds the replies without {@code MP_CAPABLE} of one subtask, before
 * any network exchange, into one exact {@link AddressSet} and a reply counter per {@link Scope},
 * and emits them as {@link ResponderDelta}s: every {@code emitInterval}, when a million replies are
 * pending, before each checkpoint barrier (so it has no state of its own), before each watermark it
 * forwards (so that what it emits is never later than the watermark downstream) and at the end of
 * input. Per reply it does a hash lookup and a bitmap insert; no reply of the plain path reaches
 * keyed per-host state.
 *
 * <p>A reply whose month the watermark has closed (the month plus the lateness is over) is not
 * folded but sent to {@link HostTracker#LATE_REPLIES}, as the host operator does with its own.
 */
public class PlainFold extends AbstractStreamOperator<ResponderDelta>
        implements OneInputStreamOperator<ClassifiedReply, ResponderDelta>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    /** Pending replies above which the fold emits at once. */
    static final int MAX_PENDING = 1 << 20;

    private final long intervalMillis;
    private final int latenessMonths;
    private transient Map<Scope, Pending> pending;
    private transient int pendingReplies;
    private transient long watermark;
    private transient Counter tooLate;
    private transient String expiryMonth;
    private transient long expiryMillis;

    private static final class Pending {
        final AddressSet addresses = new AddressSet();
        long replies;
    }

    /**
     * @param emitInterval how often pending sets are emitted (0: after every reply)
     * @param latenessMonths L: replies of month M are folded until the watermark passes the end of
     *     month M + L
     */
    public PlainFold(Duration emitInterval, int latenessMonths) {
        this.intervalMillis = emitInterval.toMillis();
        this.latenessMonths = latenessMonths;
    }

    @Override
    public void open() throws Exception {
        super.open();
        pending = new HashMap<>();
        watermark = Long.MIN_VALUE;
        tooLate = getMetricGroup().counter("rowsPastLateness");
        if (intervalMillis > 0) {
            schedule();
        }
    }

    private void schedule() {
        getProcessingTimeService()
                .registerTimer(
                        getProcessingTimeService().getCurrentProcessingTime() + intervalMillis,
                        t -> {
                            flush();
                            schedule();
                        });
    }

    @Override
    public void processElement(StreamRecord<ClassifiedReply> element) {
        ClassifiedReply r = element.getValue();
        if (watermark != Long.MIN_VALUE && expiry(r.month()) <= watermark) {
            tooLate.inc();
            output.collect(
                    HostTracker.LATE_REPLIES,
                    new StreamRecord<>(new LateReply(r, watermark, latenessMonths)));
            return;
        }
        Pending p = pending.computeIfAbsent(Scope.of(r), k -> new Pending());
        p.addresses.add(r.host());
        p.replies++;
        if (++pendingReplies >= MAX_PENDING || intervalMillis <= 0) {
            flush();
        }
    }

    /** The expiry of a month, remembered for the month of the reply before (most are alike). */
    private long expiry(String month) {
        if (!month.equals(expiryMonth)) {
            expiryMonth = month;
            expiryMillis = Months.lateFrom(month, latenessMonths);
        }
        return expiryMillis;
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        watermark = mark.getTimestamp();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void endInput() {
        flush();
    }

    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        for (Map.Entry<Scope, Pending> e : pending.entrySet()) {
            output.collect(
                    new StreamRecord<>(
                            new ResponderDelta(
                                    e.getKey(),
                                    e.getValue().addresses,
                                    e.getValue().replies,
                                    ResponderDelta.Origin.PLAIN)));
        }
        pending = new HashMap<>();
        pendingReplies = 0;
    }
}
