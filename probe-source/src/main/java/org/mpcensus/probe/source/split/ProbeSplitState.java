package org.mpcensus.probe.source.split;

import java.util.ArrayDeque;

/**
 * The mutable progress of a {@link ProbeSplit} in a reader: written by the sending thread, read by
 * the task thread at checkpoints. The checkpointed position lags the sending position by the reply
 * window: a probe counts as done only once its reply had time to arrive, so after a restore the
 * probes whose replies may have been lost are sent again (at most rate x (checkpoint interval +
 * reply window) probes), and none is skipped.
 */
public final class ProbeSplitState {
    private static final long SAMPLE_NANOS = 10_000_000L;

    private final ProbeSplit split;
    private final long replyWindowNanos;
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();
    private volatile long steps;
    private volatile long sendingDoneAtNanos = -1;
    private long lastSample;

    public ProbeSplitState(ProbeSplit split, long replyWindowNanos) {
        this.split = split;
        this.replyWindowNanos = replyWindowNanos;
        this.steps = split.steps();
        samples.add(new long[] {Long.MIN_VALUE, split.steps()});
    }

    public ProbeSplit split() {
        return split;
    }

    /** Steps sent so far. */
    public long steps() {
        return steps;
    }

    /** Called by the sending thread after each probe. */
    public void setSteps(long newSteps, long nowNanos) {
        this.steps = newSteps;
        if (nowNanos - lastSample >= SAMPLE_NANOS) {
            lastSample = nowNanos;
            synchronized (samples) {
                samples.addLast(new long[] {nowNanos, newSteps});
                // Keep one sample older than the window, drop the rest of the old ones.
                while (samples.size() > 2) {
                    long[] second = samples.stream().skip(1).findFirst().orElseThrow();
                    if (nowNanos - second[0] > replyWindowNanos) {
                        samples.removeFirst();
                    } else {
                        break;
                    }
                }
            }
        }
    }

    /** Steps whose replies have had the reply window to arrive. */
    public long settledSteps(long nowNanos) {
        if (sendingDoneAtNanos >= 0 && nowNanos - sendingDoneAtNanos >= replyWindowNanos) {
            return steps;
        }
        long settled = split.steps();
        synchronized (samples) {
            for (long[] s : samples) {
                if (s[0] == Long.MIN_VALUE || nowNanos - s[0] >= replyWindowNanos) {
                    settled = Math.max(settled, s[1]);
                }
            }
        }
        return settled;
    }

    /** Marks the last probe sent; the split finishes after the cooldown. */
    public void markSendingDone(long nowNanos) {
        sendingDoneAtNanos = nowNanos;
    }

    public boolean sendingDone() {
        return sendingDoneAtNanos >= 0;
    }

    public boolean finished(long nowNanos, long cooldownNanos) {
        return sendingDoneAtNanos >= 0 && nowNanos - sendingDoneAtNanos >= cooldownNanos;
    }

    /** The split as it stands now, for a checkpoint. */
    public ProbeSplit toSplit(long nowNanos) {
        return split.withSteps(settledSteps(nowNanos));
    }
}
