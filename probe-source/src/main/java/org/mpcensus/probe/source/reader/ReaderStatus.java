package org.mpcensus.probe.source.reader;

/**
 * The status line a probe reader prints every second with {@code mpcensus.probe.status}: how much
 * of the shards it was given it has walked (a reader that takes more shards than another has more
 * to do, so the share is of its own shards, not of the scan), the time left at its rate, probes
 * sent and blocked, replies and their kinds.
 */
final class ReaderStatus {
    private ReaderStatus() {}

    /**
     * @param steps permutation steps walked in this reader's shards
     * @param plannedSteps steps of all the shards it was given (at most the per-shard limit each)
     * @param rate this reader's share of the send rate, probes per second
     */
    static String line(
            String scanId,
            int reader,
            double seconds,
            int shards,
            long steps,
            long plannedSteps,
            double rate,
            ReaderCounters c,
            long dropped) {
        long s = c.sent.get();
        long v = c.valid.get();
        double done = plannedSteps <= 0 ? 0 : Math.min(1.0, (double) steps / plannedSteps);
        double eta = Math.max(0, plannedSteps - steps) / Math.max(rate, 1e-9);
        return String.format(
                "%s reader %d: %.0fs elapsed, %d shards %.1f%% walked, ETA %.0fs; %d sent (%.0f p/s),"
                        + " %d blocked; %d replies (%.0f/s, %.2f%% hit rate), %d invalid, %d"
                        + " duplicate, %d dropped",
                scanId,
                reader,
                seconds,
                shards,
                100 * done,
                eta,
                s,
                s / Math.max(seconds, 1e-9),
                c.blocked.get(),
                v,
                v / Math.max(seconds, 1e-9),
                s == 0 ? 0.0 : 100.0 * v / s,
                c.invalid.get(),
                c.duplicates.get(),
                dropped);
    }
}
