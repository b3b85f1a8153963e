package org.mpcensus.job.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mpcensus.probe.event.CensusInput;
import org.mpcensus.probe.event.TrafficPacket;
import org.mpcensus.probe.traffic.FlowKey;
import org.mpcensus.probe.traffic.FlowRecord;
import org.mpcensus.probe.traffic.PartialFlow;

/**
 * A checkpoint restored at another parallelism changes no flow: the readers' folds and the keyed
 * merge run as parallel subtasks (each trace read by one reader, partial flows routed to the merge
 * subtask of their key group, a merge's watermark the least of its inputs'), are checkpointed in
 * the middle of the traces and restored at another parallelism (the flows sent in part before the
 * checkpoint reach every reader through union state), and give the flows of one pass.
 */
class FlowFoldRescaleTest {
    static final int MAX_PARALLELISM = 128;

    /** The folds and merges of one parallelism. */
    static final class Subtasks implements AutoCloseable {
        final List<OneInputStreamOperatorTestHarness<CensusInput, PartialFlow>> folds =
                new ArrayList<>();
        final List<KeyedOneInputStreamOperatorTestHarness<FlowKey, PartialFlow, FlowRecord>>
                merges = new ArrayList<>();
        final long[] watermarks;
        long merged = Long.MIN_VALUE;
        final List<FlowRecord> flows = new ArrayList<>();

        Subtasks(
                int parallelism,
                int checkpointed,
                OperatorSubtaskState fold,
                OperatorSubtaskState merge)
                throws Exception {
            watermarks = new long[parallelism];
            Arrays.fill(watermarks, Long.MIN_VALUE);
            for (int i = 0; i < parallelism; i++) {
                var f =
                        new OneInputStreamOperatorTestHarness<CensusInput, PartialFlow>(
                                new FlowFoldOperator(FlowFoldTest.IDLE),
                                MAX_PARALLELISM,
                                parallelism,
                                i);
                var m =
                        new KeyedOneInputStreamOperatorTestHarness<
                                FlowKey, PartialFlow, FlowRecord>(
                                new KeyedProcessOperator<>(new FlowFunction(FlowFoldTest.IDLE)),
                                PartialFlow::key,
                                TypeInformation.of(FlowKey.class),
                                MAX_PARALLELISM,
                                parallelism,
                                i);
                if (fold != null) {
                    f.initializeState(
                            AbstractStreamOperatorTestHarness.repartitionOperatorState(
                                    fold, MAX_PARALLELISM, checkpointed, parallelism, i));
                    m.initializeState(
                            AbstractStreamOperatorTestHarness.repartitionOperatorState(
                                    merge, MAX_PARALLELISM, checkpointed, parallelism, i));
                }
                f.open();
                m.open();
                folds.add(f);
                merges.add(m);
            }
        }

        /** The reader of a trace: its number modulo the parallelism. */
        int reader(TrafficPacket p) {
            return Integer.parseInt(p.trace().replaceAll("\\D", "")) % folds.size();
        }

        void packet(TrafficPacket p, boolean watermark) throws Exception {
            int r = reader(p);
            folds.get(r).processElement(new StreamRecord<>(CensusInput.of(p), p.micros() / 1000));
            if (watermark) {
                folds.get(r).processWatermark(new Watermark(p.micros() / 1000 - 1000));
            }
            pass(r);
        }

        private void pass(int r) throws Exception {
            Object o;
            while ((o = folds.get(r).getOutput().poll()) != null) {
                if (o instanceof Watermark w) {
                    watermarks[r] = w.getTimestamp();
                    long least = Arrays.stream(watermarks).min().orElseThrow();
                    if (least > merged) {
                        merged = least;
                        for (var m : merges) {
                            m.processWatermark(new Watermark(least));
                        }
                    }
                } else if (o instanceof StreamRecord<?> rec) {
                    @SuppressWarnings("unchecked")
                    StreamRecord<PartialFlow> partial = (StreamRecord<PartialFlow>) rec;
                    int to =
                            KeyGroupRangeAssignment.assignKeyToParallelOperator(
                                    partial.getValue().key(), MAX_PARALLELISM, merges.size());
                    merges.get(to).processElement(partial);
                }
            }
        }

        /** Checkpoints every subtask: the fold's and the merge's state, each of all subtasks. */
        OperatorSubtaskState[] checkpoint() throws Exception {
            OperatorSubtaskState[] f = new OperatorSubtaskState[folds.size()];
            OperatorSubtaskState[] m = new OperatorSubtaskState[merges.size()];
            for (int i = 0; i < folds.size(); i++) {
                folds.get(i).prepareSnapshotPreBarrier(1);
                pass(i);
            }
            for (int i = 0; i < folds.size(); i++) {
                merges.get(i).prepareSnapshotPreBarrier(1);
                f[i] = folds.get(i).snapshot(1, 1);
                m[i] = merges.get(i).snapshot(1, 1);
            }
            takeFlows();
            return new OperatorSubtaskState[] {
                AbstractStreamOperatorTestHarness.repackageState(f),
                AbstractStreamOperatorTestHarness.repackageState(m)
            };
        }

        List<FlowRecord> end() throws Exception {
            for (int i = 0; i < folds.size(); i++) {
                folds.get(i).processWatermark(new Watermark(Long.MAX_VALUE));
                folds.get(i).endInput();
                pass(i);
            }
            for (var m : merges) {
                m.endInput();
                assertThat(m.numKeyedStateEntries()).isZero();
                assertThat(m.numEventTimeTimers()).isZero();
            }
            takeFlows();
            return flows;
        }

        private void takeFlows() {
            for (var m : merges) {
                flows.addAll(m.extractOutputValues());
                m.getOutput().clear();
            }
        }

        @Override
        public void close() throws Exception {
            for (var f : folds) {
                f.close();
            }
            for (var m : merges) {
                m.close();
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"1, 2, 1", "2, 1, 2", "3, 2, 1", "4, 1, 2", "5, 2, 1", "6, 1, 2"})
    void aCheckpointRestoredAtAnotherParallelismChangesNoFlow(int seed, int before, int after)
            throws Exception {
        List<TrafficPacket> trace = FlowFoldTest.trace(new Random(seed), 600);
        List<FlowRecord> once = FlowFoldTest.run(trace, null, 1);
        Random cuts = new Random(seed * 41L);
        int at = 100 + cuts.nextInt(400);
        List<FlowRecord> flows = new ArrayList<>();
        OperatorSubtaskState[] state;
        try (Subtasks first = new Subtasks(before, before, null, null)) {
            for (int i = 0; i < at; i++) {
                first.packet(trace.get(i), i % 5 == 4);
            }
            state = first.checkpoint();
            flows.addAll(first.flows);
        }
        try (Subtasks second = new Subtasks(after, before, state[0], state[1])) {
            for (int i = at; i < trace.size(); i++) {
                second.packet(trace.get(i), i % 5 == 4);
            }
            flows.addAll(second.end());
        }
        // A flow held by the merge across the checkpoint ends by the merge's timer, at the least
        // watermark of all readers: with readers of other traces it may end with the input (END)
        // where one reader saw it idle (IDLE). Every flow, its packets, bytes and MPTCP are the
        // same.
        assertThat(FlowFoldTest.sorted(flows.stream().map(FlowFoldTest::closedOrNot).toList()))
                .isEqualTo(
                        FlowFoldTest.sorted(once.stream().map(FlowFoldTest::closedOrNot).toList()));
    }
}
