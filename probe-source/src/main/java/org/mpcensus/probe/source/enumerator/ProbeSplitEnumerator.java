package org.mpcensus.probe.source.enumerator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.mpcensus.probe.source.split.ProbeSplit;

/**
 * Hands a scan's shards to readers one at a time as they ask, so fast readers take more shards;
 * shards of a failed reader come back and go to the next reader that asks. Runs on the enumerator's
 * coordinator thread.
 */
public final class ProbeSplitEnumerator
        implements SplitEnumerator<ProbeSplit, ProbeEnumeratorState> {
    private final SplitEnumeratorContext<ProbeSplit> context;
    private final Deque<ProbeSplit> unassigned;

    public ProbeSplitEnumerator(
            SplitEnumeratorContext<ProbeSplit> context, Collection<ProbeSplit> splits) {
        this.context = context;
        this.unassigned = new ArrayDeque<>(splits);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtask, @Nullable String requesterHostname) {
        ProbeSplit next = unassigned.poll();
        if (next != null) {
            context.assignSplit(next, subtask);
        } else {
            context.signalNoMoreSplits(subtask);
        }
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
        return new ProbeEnumeratorState(new ArrayList<>(unassigned));
    }

    @Override
    public void close() {}
}
