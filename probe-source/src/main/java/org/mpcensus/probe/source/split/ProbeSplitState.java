package org.mpcensus.probe.source.split;

/**
 * The mutable progress of a {@link ProbeSplit} in a reader: written by the sending thread, read by
 * the task thread at checkpoints. A step is counted only after its probe was handed to the wire (or
 * blocked), so a restored split never skips a probe.
 */
public final class ProbeSplitState {
    private final ProbeSplit split;
    private volatile long steps;
    private volatile long sendingDoneAtNanos = -1;

    public ProbeSplitState(ProbeSplit split) {
        this.split = split;
        this.steps = split.steps();
    }

    public ProbeSplit split() {
        return split;
    }

    public long steps() {
        return steps;
    }

    public void setSteps(long steps) {
        this.steps = steps;
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
    public ProbeSplit toSplit() {
        return split.withSteps(steps);
    }
}
