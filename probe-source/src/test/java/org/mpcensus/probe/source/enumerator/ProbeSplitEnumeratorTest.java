package org.mpcensus.probe.source.enumerator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.mpcensus.probe.source.plan.ProbeSourceOptions;
import org.mpcensus.probe.source.plan.ScanPlan;
import org.mpcensus.probe.source.split.ProbeSplit;

/**
 * The probe enumerator against Flink's mock enumerator context: shards go one at a time to the
 * readers that ask, each exactly once; a failed reader's shards go to the next reader; a restored
 * enumerator hands out what its snapshot had left; readers hear "no more splits" only when a
 * one-off scan has no shard left.
 */
class ProbeSplitEnumeratorTest {

    static ScanPlan plan(int shards) throws Exception {
        Configuration c = new Configuration();
        c.set(ProbeSourceOptions.INTERFACE, "eth0");
        c.set(ProbeSourceOptions.SOURCE_IPV4, "198.18.0.1");
        c.set(ProbeSourceOptions.TARGETS, List.of("198.18.1.0/24"));
        c.set(ProbeSourceOptions.SHARDS, shards);
        return ScanPlan.fromConfiguration(c);
    }

    static MockSplitEnumeratorContext<ProbeSplit> context(int readers) {
        MockSplitEnumeratorContext<ProbeSplit> ctx = new MockSplitEnumeratorContext<>(readers);
        for (int i = 0; i < readers; i++) {
            ctx.registerReader(new ReaderInfo(i, "host-" + i));
        }
        return ctx;
    }

    static List<ProbeSplit> assigned(MockSplitEnumeratorContext<ProbeSplit> ctx) {
        List<ProbeSplit> out = new ArrayList<>();
        for (SplitsAssignment<ProbeSplit> a : ctx.getSplitsAssignmentSequence()) {
            a.assignment().values().forEach(out::addAll);
        }
        return out;
    }

    @Test
    void everyShardGoesOutOnceOneAtATimeToTheReaderThatAsks() throws Exception {
        MockSplitEnumeratorContext<ProbeSplit> ctx = context(2);
        ProbeSplitEnumerator e = ProbeSplitEnumerator.fresh(ctx, plan(5));
        e.start();
        // Reader 0 is fast: it asks four times, reader 1 once.
        for (int reader : new int[] {0, 0, 1, 0, 0}) {
            int before = ctx.getSplitsAssignmentSequence().size();
            e.handleSplitRequest(reader, "host-" + reader);
            assertThat(ctx.getSplitsAssignmentSequence()).hasSize(before + 1);
            SplitsAssignment<ProbeSplit> last = ctx.getSplitsAssignmentSequence().get(before);
            assertThat(last.assignment()).containsOnlyKeys(reader);
            assertThat(last.assignment().get(reader)).hasSize(1);
        }
        List<ProbeSplit> splits = assigned(ctx);
        Set<Integer> shards = new HashSet<>();
        splits.forEach(s -> assertThat(shards.add(s.shard())).as("shard once").isTrue());
        assertThat(shards).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
        assertThat(splits).allMatch(s -> s.shards() == 5);
        assertThat(splits.stream().map(ProbeSplit::scanId).distinct()).hasSize(1);
        assertThat(ctx.getSplitsAssignmentSequence()).hasSize(5);
        assertThat(ctx.hasNoMoreSplits(1)).as("shards were left").isFalse();
        // Nothing is left: the next request ends that reader.
        e.handleSplitRequest(1, "host-1");
        assertThat(ctx.getSplitsAssignmentSequence()).hasSize(5);
        assertThat(ctx.hasNoMoreSplits(1)).isTrue();
        assertThat(ctx.hasNoMoreSplits(0)).isFalse();
    }

    @Test
    void aFailedReadersShardsGoToTheNextReaderAndASnapshotKeepsWhatIsLeft() throws Exception {
        MockSplitEnumeratorContext<ProbeSplit> ctx = context(2);
        ScanPlan plan = plan(3);
        ProbeSplitEnumerator e = ProbeSplitEnumerator.fresh(ctx, plan);
        e.start();
        e.handleSplitRequest(0, "host-0");
        ProbeSplit lost = assigned(ctx).get(0);
        // Reader 0 fails: its shard comes back and goes first to the next reader that asks.
        e.addSplitsBack(List.of(lost), 0);
        e.handleSplitRequest(1, "host-1");
        assertThat(assigned(ctx).get(1)).isEqualTo(lost);

        ProbeEnumeratorState state = e.snapshotState(1);
        assertThat(state.unassigned()).hasSize(2).doesNotContain(lost);
        // A restored enumerator hands out exactly the shards its snapshot had left.
        MockSplitEnumeratorContext<ProbeSplit> again = context(1);
        ProbeSplitEnumerator restored = new ProbeSplitEnumerator(again, plan, state);
        restored.start();
        restored.handleSplitRequest(0, "host-0");
        restored.handleSplitRequest(0, "host-0");
        restored.handleSplitRequest(0, "host-0");
        assertThat(assigned(again)).containsExactlyInAnyOrderElementsOf(state.unassigned());
    }

    @Test
    void aScheduledScanHoldsRequestsUntilItsNextScanInsteadOfEndingTheReaders() throws Exception {
        Configuration c = new Configuration();
        c.set(ProbeSourceOptions.INTERFACE, "eth0");
        c.set(ProbeSourceOptions.SOURCE_IPV4, "198.18.0.1");
        c.set(ProbeSourceOptions.TARGETS, List.of("198.18.1.0/24"));
        c.set(ProbeSourceOptions.SHARDS, 1);
        c.setString(ProbeSourceOptions.SCHEDULE.key(), "1 h");
        MockSplitEnumeratorContext<ProbeSplit> ctx = context(1);
        ProbeSplitEnumerator e = ProbeSplitEnumerator.fresh(ctx, ScanPlan.fromConfiguration(c));
        e.start();
        assertThat(ctx.getPeriodicCallables()).as("the schedule's check").hasSize(1);
        e.handleSplitRequest(0, "host-0");
        e.handleSplitRequest(0, "host-0");
        assertThat(assigned(ctx)).hasSize(1);
        assertThat(ctx.hasNoMoreSplits(0)).as("the next scan is due in an hour").isFalse();
        assertThat(e.snapshotState(1).nextScanAtMillis()).isGreaterThan(System.currentTimeMillis());
    }

    @Test
    void eachFreshScanHasItsOwnSecret() throws Exception {
        ScanPlan plan = plan(2);
        MockSplitEnumeratorContext<ProbeSplit> a = context(1);
        MockSplitEnumeratorContext<ProbeSplit> b = context(1);
        ProbeSplitEnumerator.fresh(a, plan).handleSplitRequest(0, "host-0");
        ProbeSplitEnumerator.fresh(b, plan).handleSplitRequest(0, "host-0");
        ProbeSplit first = assigned(a).get(0);
        ProbeSplit second = assigned(b).get(0);
        assertThat(first.secret0() != second.secret0() || first.secret1() != second.secret1())
                .as("the validation secret of a new scan")
                .isTrue();
    }
}
