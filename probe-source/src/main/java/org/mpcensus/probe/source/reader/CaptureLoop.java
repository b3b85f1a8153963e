package org.mpcensus.probe.source.reader;

import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.mpcensus.probe.event.ProbeReply;
import org.mpcensus.probe.wire.Wire;

/**
 * The capturing thread of a reader: polls the wire, turns each frame into a reply of one of the
 * reader's scans (or nothing) and queues it for the task thread. It wakes the task thread on every
 * reply, and every 50 ms without one, so split completion is noticed while nothing arrives.
 */
final class CaptureLoop implements Runnable {
    private static final long HEARTBEAT_NANOS = 50_000_000L;

    private final Wire wire;
    private final ReplyMatcher matcher;
    private final Map<String, ScanState> scans;
    private final ReplyQueue out;
    private final Runnable signal;
    private final Consumer<Throwable> fail;
    private volatile boolean running = true;

    /** How far the capture is behind the wire (now minus the last frame's capture time). */
    private volatile long lagMicros;

    CaptureLoop(
            Wire wire,
            ReplyMatcher matcher,
            Map<String, ScanState> scans,
            ReplyQueue out,
            Runnable signal,
            Consumer<Throwable> fail) {
        this.wire = wire;
        this.matcher = matcher;
        this.scans = scans;
        this.out = out;
        this.signal = signal;
        this.fail = fail;
    }

    long lagMicros() {
        return lagMicros;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        long lastSignal = System.nanoTime();
        try {
            while (running) {
                byte[] frame = wire.poll();
                long now = System.nanoTime();
                if (frame == null) {
                    lagMicros = 0;
                    if (now - lastSignal > HEARTBEAT_NANOS) {
                        lastSignal = now;
                        signal.run();
                    }
                    LockSupport.parkNanos(100_000);
                    continue;
                }
                long captured = wire.lastTimestampMicros();
                lagMicros = System.currentTimeMillis() * 1000 - captured;
                ProbeReply r = matcher.fromFrame(frame, captured, scans.values());
                if (r != null) {
                    out.add(r);
                    signal.run();
                    lastSignal = now;
                }
            }
        } catch (Throwable t) {
            fail.accept(t);
        }
    }
}
