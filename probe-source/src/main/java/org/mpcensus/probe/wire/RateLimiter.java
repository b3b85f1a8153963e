package org.mpcensus.probe.wire;

import java.util.concurrent.locks.LockSupport;

/**
 * Paces one sending thread to a rate in packets per second: the n-th permit is due at start + n /
 * rate, so stalls of the thread (a busy machine, a GC pause) of up to {@link #CATCH_UP_NANOS} are
 * caught up and the long-run rate holds; after a longer stall the schedule restarts instead of
 * bursting. Not thread-safe.
 */
public final class RateLimiter {
    /** The longest stall that is caught up by sending faster. */
    public static final long CATCH_UP_NANOS = 1_000_000_000L;

    private final double nanosPerPermit;
    private long start = -1;
    private long permits;

    public RateLimiter(double perSecond) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive: " + perSecond);
        }
        this.nanosPerPermit = 1e9 / perSecond;
    }

    /** Nanoseconds until the next permit is due (0 when it is due now). */
    public long nanosUntilDue() {
        if (start < 0) {
            return 0;
        }
        return Math.max(0, start + (long) (permits * nanosPerPermit) - System.nanoTime());
    }

    /** Waits until the next permit is due; returns false when interrupted. */
    public boolean acquire() {
        long now = System.nanoTime();
        if (start < 0) {
            start = now;
        }
        long due = start + (long) (permits * nanosPerPermit);
        if (now - due > CATCH_UP_NANOS) {
            start = now;
            permits = 0;
            due = now;
        }
        while ((now = System.nanoTime()) < due) {
            long wait = due - now;
            if (wait > 200_000) {
                LockSupport.parkNanos(wait - 100_000);
            } else {
                Thread.onSpinWait();
            }
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
        }
        permits++;
        return true;
    }
}
