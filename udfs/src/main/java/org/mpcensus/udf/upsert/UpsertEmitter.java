package org.mpcensus.udf.upsert;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Base of the keyed aggregates that emit upserts: keeps one row per key and emits it at most once
 * per {@code interval} of processing time while it changes, and once more when input ends (an
 * event-time timer at the end of time fires on the final watermark of a bounded input). Sinks see
 * each key's rows in order, and the last one is the final value. A subclass whose keys end (a
 * host-month) names their {@link #expiry}: when the watermark passes it, the key's last row is
 * emitted if still pending and all its state goes; later input for the key is not applied, is
 * counted in the {@code rowsPastLateness} metric and handed to {@link #pastLateness}.
 *
 * @param <K> the key
 * @param <I> the input
 * @param <R> the row
 */
public abstract class UpsertEmitter<K, I, R> extends KeyedProcessFunction<K, I, R> {
    private final long intervalMillis;
    private final Class<R> rowClass;
    private transient ValueState<R> row;
    private transient ValueState<Long> pendingFlush;
    private transient Counter tooLate;

    protected UpsertEmitter(Duration interval, Class<R> rowClass) {
        this.intervalMillis = interval.toMillis();
        this.rowClass = rowClass;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        row = getRuntimeContext().getState(new ValueStateDescriptor<>("row", rowClass));
        pendingFlush =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "pending-flush", TypeInformation.of(Long.class)));
        tooLate = getRuntimeContext().getMetricGroup().counter("rowsPastLateness");
    }

    /**
     * The event time after which the key of {@code in} takes no more input and its state is
     * cleared; {@code Long.MAX_VALUE} (the default) keeps it until input ends.
     */
    protected long expiry(I in) {
        return Long.MAX_VALUE;
    }

    /**
     * Called with input that came after its key expired (and was not applied), so that a subclass
     * can keep it; does nothing by default.
     *
     * @param watermark the watermark it came after
     */
    protected void pastLateness(I in, long watermark, Context ctx) {}

    /** Clears the subclass's state of the current key when the key expires. */
    protected void clearKey() throws Exception {}

    /** Computes the key's next row from its current row (null at first) and an input. */
    protected abstract R update(R current, I in, Context ctx) throws Exception;

    @Override
    public final void processElement(I in, Context ctx, Collector<R> out) throws Exception {
        long expiry = expiry(in);
        if (expiry != Long.MAX_VALUE && expiry <= ctx.timerService().currentWatermark()) {
            // The key's state is gone: applying this would count the key anew.
            tooLate.inc();
            pastLateness(in, ctx.timerService().currentWatermark(), ctx);
            return;
        }
        R before = row.value();
        if (before == null && expiry != Long.MAX_VALUE) {
            // The key's first row: its expiry is the same for every input of the key.
            ctx.timerService().registerEventTimeTimer(expiry);
        }
        R next = update(before, in, ctx);
        if (next == null || next.equals(before)) {
            return;
        }
        row.update(next);
        if (before == null && keepsLast()) {
            // The key's last row is told to the subclass even when nothing is pending then.
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }
        if (intervalMillis <= 0) {
            emitted(next, false, ctx);
            out.collect(next);
            return;
        }
        if (pendingFlush.value() == null) {
            long at = ctx.timerService().currentProcessingTime() + intervalMillis;
            ctx.timerService().registerProcessingTimeTimer(at);
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
            pendingFlush.update(at);
        }
    }

    @Override
    public final void onTimer(long timestamp, OnTimerContext ctx, Collector<R> out)
            throws Exception {
        boolean expired = ctx.timeDomain() == TimeDomain.EVENT_TIME && timestamp != Long.MAX_VALUE;
        Long pending = pendingFlush.value();
        R current = row.value();
        if (expired) {
            if (pending != null) {
                ctx.timerService().deleteProcessingTimeTimer(pending);
            }
            if (pending != null || keepsLast()) {
                ctx.timerService().deleteEventTimeTimer(Long.MAX_VALUE);
            }
            if (pending != null) {
                emitted(current, true, ctx);
                out.collect(current);
            } else if (current != null && keepsLast()) {
                emitted(current, true, ctx);
            }
            row.clear();
            pendingFlush.clear();
            clearKey();
            return;
        }
        boolean last = timestamp == Long.MAX_VALUE;
        if (pending == null) {
            if (last && current != null && keepsLast()) {
                emitted(current, true, ctx);
            }
            return;
        }
        pendingFlush.clear();
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            ctx.timerService().deleteProcessingTimeTimer(pending);
        } else if (!keepsLast()) {
            ctx.timerService().deleteEventTimeTimer(Long.MAX_VALUE);
        }
        emitted(current, last, ctx);
        out.collect(current);
    }

    /**
     * Whether the subclass is told of its key's last row ({@link #emitted} with {@code last}) also
     * when that row was emitted before; false by default.
     */
    protected boolean keepsLast() {
        return false;
    }

    /**
     * Called with each row just before it is emitted, with the key's state still in place, so that
     * a subclass can emit what goes with the row on a side output; does nothing by default.
     *
     * @param last whether it is the key's last row: its key expired, or input ended
     */
    protected void emitted(R row, boolean last, Context ctx) throws Exception {}

    /** The key's current row, or null. */
    protected R current() throws Exception {
        return row.value();
    }
}
