package org.mpcensus.probe.wire;

import java.util.concurrent.locks.LockSupport;

/**
 * Paces one sending thread to a rate in packets per second: the n-th permit is due at start + n /
 * rate, so short stalls are caught up without bursting past the long-run rate. Not thread-safe.
 */
public final class RateLimiter {
    private final double nanosPerPermit;
    private long start = -1;
    private long permits;

    public RateLimiter(double perSecond) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive: " + perSecond);
        }
        this.nanosPerPermit = 1e9 / perSecond;
    }

    /** Waits until the next permit is due; returns false when interrupted. */
    public boolean acquire() {
        long now = System.nanoTime();
        if (start < 0) {
            start = now;
        }
        long due = start + (long) (permits * nanosPerPermit);
        // After a long stall do not burst: restart the schedule from now.
        if (now - due > 100_000_000L) {
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
