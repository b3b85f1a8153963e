package org.mpcensus.job.cli;

import java.io.PrintStream;
import java.time.Duration;
import org.mpcensus.probe.event.StageProgress;

/**
 * Progress lines of the stages that wait on the network ({@link StageProgress}) while a command's
 * job runs on a local MiniCluster: every interval while a stage has requests under way, and once
 * more at the end for each stage that ran, so that minutes of timeouts are never silent.
 */
final class StageStatus implements AutoCloseable {
    private final String command;
    private final PrintStream out;
    private final long[] begun = new long[StageProgress.values().length];
    private final long[] done = new long[StageProgress.values().length];
    private final Thread thread;

    StageStatus(String command, Duration interval, PrintStream out) {
        this.command = command;
        this.out = out;
        for (StageProgress s : StageProgress.values()) {
            begun[s.ordinal()] = s.begunSoFar();
            done[s.ordinal()] = s.doneSoFar();
        }
        if (interval.isZero() || interval.isNegative()) {
            thread = null;
            return;
        }
        thread =
                new Thread(
                        () -> {
                            try {
                                while (true) {
                                    Thread.sleep(interval.toMillis());
                                    print(false);
                                }
                            } catch (InterruptedException e) {
                                // closed
                            }
                        },
                        "mpcensus-stage-status");
        thread.setDaemon(true);
        thread.start();
    }

    /** Prints the stages under way, or with {@code all} every stage that ran. */
    synchronized void print(boolean all) {
        for (StageProgress s : StageProgress.values()) {
            long b = s.begunSoFar() - begun[s.ordinal()];
            long d = s.doneSoFar() - done[s.ordinal()];
            String line = s.line(begun[s.ordinal()], done[s.ordinal()]);
            if (line != null && (all || d < b)) {
                out.println("mpcensus " + command + ": " + line);
            }
        }
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.interrupt();
        }
        print(true);
    }
}
