package org.mpcensus.probe.event;

import java.util.concurrent.atomic.LongAdder;

/**
 * How far the stages that wait on the network (path verification, HTTP(S) timing) running in this
 * JVM have come: requests begun and requests done. A command line that runs its job on a local
 * MiniCluster reads them for its progress lines; on a cluster each process counts its own.
 */
public enum StageProgress {
    /** Path verification: hosts. */
    PATHS("path verification", "hosts"),
    /** HTTP(S) timing: runs of a target (two GETs each). */
    HTTP("HTTP timing", "runs");

    private final String what;
    private final String unit;
    private final LongAdder begun = new LongAdder();
    private final LongAdder done = new LongAdder();

    StageProgress(String what, String unit) {
        this.what = what;
        this.unit = unit;
    }

    public void begun() {
        begun.increment();
    }

    public void done() {
        done.increment();
    }

    public long begunSoFar() {
        return begun.sum();
    }

    public long doneSoFar() {
        return done.sum();
    }

    /**
     * The stage's progress since a moment ({@link #begunSoFar} and {@link #doneSoFar} then) as a
     * user reads it, such as {@code path verification: 120 of 400 hosts done}, or null when the
     * stage has not begun since.
     */
    public String line(long begunBefore, long doneBefore) {
        long b = begun.sum() - begunBefore;
        if (b <= 0) {
            return null;
        }
        return String.format("%s: %,d of %,d %s done", what, done.sum() - doneBefore, b, unit);
    }
}
