package org.mpcensus.probe.source.reader;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.mpcensus.probe.source.plan.ScanPlan;
import org.mpcensus.probe.source.split.ProbeSplit;
import org.mpcensus.probe.source.split.ProbeSplitState;
import org.mpcensus.probe.target.CyclicPermutation;
import org.mpcensus.probe.target.TargetSpace;
import org.mpcensus.probe.wire.ProbeSender;
import org.mpcensus.probe.wire.RateLimiter;

/**
 * The sending thread of a reader: takes its splits one at a time and walks each one's shard of the
 * permutation from the split's position, at the reader's share of the rate. Blocked destinations
 * take no slot of the rate. While the reader is {@code behind} (replies waiting for the census or
 * frames for the capture) it waits rather than lose replies, and counts the pause.
 */
final class SendLoop implements Runnable {
    /** A wait longer than this sends the batched probes first. */
    private static final long FLUSH_BEFORE_WAIT_NANOS = 20_000L;

    private final ScanPlan plan;
    private final Map<String, ScanState> scans;
    private final BlockingQueue<ProbeSplitState> toSend;
    private final ProbeSender sender;
    private final RateLimiter limiter;
    private final ReaderCounters counters;
    private final BooleanSupplier behind;
    private final Runnable signal;
    private final Consumer<Throwable> fail;
    private final long deadlineNanos;
    private volatile boolean running = true;
    private volatile boolean sending;

    SendLoop(
            ScanPlan plan,
            Map<String, ScanState> scans,
            BlockingQueue<ProbeSplitState> toSend,
            ProbeSender sender,
            RateLimiter limiter,
            ReaderCounters counters,
            BooleanSupplier behind,
            Runnable signal,
            Consumer<Throwable> fail,
            long startNanos) {
        this.plan = plan;
        this.scans = scans;
        this.toSend = toSend;
        this.sender = sender;
        this.limiter = limiter;
        this.counters = counters;
        this.behind = behind;
        this.signal = signal;
        this.fail = fail;
        this.deadlineNanos =
                plan.pace().durationMillis() < 0
                        ? Long.MAX_VALUE
                        : startNanos + plan.pace().durationMillis() * 1_000_000L;
    }

    /** Whether a split is being sent now. */
    boolean sending() {
        return sending;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        try {
            while (running) {
                ProbeSplitState state = toSend.poll(100, TimeUnit.MILLISECONDS);
                if (state == null) {
                    continue;
                }
                sending = true;
                if (!walk(state)) {
                    return;
                }
                sender.flush();
                state.markSendingDone(System.nanoTime());
                sending = false;
                signal.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            fail.accept(t);
        }
    }

    /** Sends a split's probes from its position; false when the rate limiter was interrupted. */
    private boolean walk(ProbeSplitState state) throws Exception {
        ProbeSplit s = state.split();
        ScanState scan = scans.get(s.scanId());
        CyclicPermutation.Cursor cursor =
                scan.permutation().cursor(s.shard(), s.shards(), state.steps());
        long perShard = plan.maxProbesPerShard();
        long index;
        while (running
                && (perShard < 0 || state.steps() < perShard)
                && System.nanoTime() < deadlineNanos
                && (index = cursor.next()) >= 0) {
            TargetSpace.Probe p = plan.space().probe(index);
            if (behind.getAsBoolean()) {
                sender.flush();
                long t0 = System.nanoTime();
                while (running && behind.getAsBoolean()) {
                    LockSupport.parkNanos(1_000_000);
                }
                counters.pausedNanos.addAndGet(System.nanoTime() - t0);
            }
            // Blocked probes take no slot of the rate; send() checks the blocklist again.
            if (!sender.blocks(p.address())) {
                // A batch goes out before the sender waits, so no probe waits for others.
                if (limiter.nanosUntilDue() > FLUSH_BEFORE_WAIT_NANOS) {
                    sender.flush();
                }
                if (!limiter.acquire()) {
                    return false;
                }
            }
            ProbeSender.Outcome outcome =
                    sender.send(p.address(), p.port(), p.version(), scan.sending());
            if (outcome == ProbeSender.Outcome.SENT) {
                counters.sent.incrementAndGet();
            } else {
                counters.blocked.incrementAndGet();
            }
            state.setSteps(cursor.steps(), System.nanoTime());
        }
        return true;
    }
}
