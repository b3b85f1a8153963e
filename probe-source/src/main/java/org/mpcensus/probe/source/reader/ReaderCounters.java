package org.mpcensus.probe.source.reader;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.MetricGroup;

/** What a probe reader counts, shared by its threads, and its metrics under {@code mpcensus}. */
final class ReaderCounters {
    final AtomicLong sent = new AtomicLong();
    final AtomicLong blocked = new AtomicLong();
    final AtomicLong pausedNanos = new AtomicLong();
    final AtomicLong valid = new AtomicLong();
    final AtomicLong invalid = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();

    /** Registers the gauges; {@code dropped} counts frames the capture lost. */
    void register(MetricGroup group, LongSupplier dropped) {
        MetricGroup g = group.addGroup("mpcensus");
        g.gauge("probesSent", sent::get);
        g.gauge("probesBlocked", blocked::get);
        g.gauge("repliesValid", valid::get);
        g.gauge("repliesInvalid", invalid::get);
        g.gauge("repliesDuplicate", duplicates::get);
        g.gauge("captureDropped", dropped::getAsLong);
        g.gauge("sendPausedMillis", () -> pausedNanos.get() / 1_000_000);
    }
}
