package org.mpcensus.probe.source.enumerator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import javax.annotation.Nullable;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.mpcensus.probe.source.plan.ScanPlan;
import org.mpcensus.probe.source.split.ProbeSplit;

/**
 * Hands a scan's shards to readers one at a time as they ask, so fast readers take more shards;
 * shards of a failed reader come back and go to the next reader that asks. With a schedule it
 * starts a new scan (new id, permutation and secret) every period and holds readers' requests until
 * then. Runs on the enumerator's coordinator thread.
 */
public final class ProbeSplitEnumerator
        implements SplitEnumerator<ProbeSplit, ProbeEnumeratorState> {
    private static final long SCHEDULE_CHECK_MILLIS = 200;

    private final SplitEnumeratorContext<ProbeSplit> context;
    private final ScanPlan plan;
    private final Deque<ProbeSplit> unassigned;
    private final Set<Integer> waiting = new LinkedHashSet<>();
    private int nextScan;
    private long nextScanAtMillis;

    /** A fresh enumerator: scan 0 starts now. */
    public static ProbeSplitEnumerator fresh(
            SplitEnumeratorContext<ProbeSplit> context, ScanPlan plan) {
        ProbeSplitEnumerator e =
                new ProbeSplitEnumerator(context, plan, new ProbeEnumeratorState(List.of(), 0, 0));
        e.startScan(System.currentTimeMillis());
        return e;
    }

    public ProbeSplitEnumerator(
            SplitEnumeratorContext<ProbeSplit> context, ScanPlan plan, ProbeEnumeratorState state) {
        this.context = context;
        this.plan = plan;
        this.unassigned = new ArrayDeque<>(state.unassigned());
        this.nextScan = state.nextScan();
        this.nextScanAtMillis = state.nextScanAtMillis();
    }

    private void startScan(long now) {
        int n = nextScan;
        SplittableRandom random = new SplittableRandom(plan.seed(n) ^ System.nanoTime());
        long secret0 = random.nextLong();
        long secret1 = random.nextLong();
        for (int shard = 0; shard < plan.shards(); shard++) {
            unassigned.add(
                    new ProbeSplit(
                            plan.scanId(n),
                            shard,
                            plan.shards(),
                            0,
                            secret0,
                            secret1,
                            plan.seed(n)));
        }
        nextScan = n + 1;
        boolean more =
                plan.scheduled()
                        && (plan.schedule().scans() < 0 || nextScan < plan.schedule().scans());
        nextScanAtMillis = more ? now + plan.schedule().periodMillis() : -1;
    }

    @Override
    public void start() {
        if (plan.scheduled()) {
            context.callAsync(() -> null, (ignored, error) -> tick(), 0, SCHEDULE_CHECK_MILLIS);
        }
    }

    private void tick() {
        long now = System.currentTimeMillis();
        if (nextScanAtMillis >= 0 && now >= nextScanAtMillis) {
            startScan(now);
        }
        serveWaiting();
    }

    private void serveWaiting() {
        for (Integer subtask : new ArrayList<>(waiting)) {
            if (!context.registeredReaders().containsKey(subtask)) {
                waiting.remove(subtask);
                continue;
            }
            ProbeSplit next = unassigned.poll();
            if (next != null) {
                waiting.remove(subtask);
                context.assignSplit(next, subtask);
            } else if (nextScanAtMillis < 0) {
                waiting.remove(subtask);
                context.signalNoMoreSplits(subtask);
            }
        }
    }

    @Override
    public void handleSplitRequest(int subtask, @Nullable String requesterHostname) {
        waiting.add(subtask);
        serveWaiting();
    }

    @Override
    public void addSplitsBack(List<ProbeSplit> splits, int subtask) {
        splits.forEach(unassigned::addFirst);
    }

    @Override
    public void addReader(int subtask) {
        // Readers ask for splits themselves.
    }

    @Override
    public ProbeEnumeratorState snapshotState(long checkpointId) {
        return new ProbeEnumeratorState(new ArrayList<>(unassigned), nextScan, nextScanAtMillis);
    }

    @Override
    public void close() {}
}
