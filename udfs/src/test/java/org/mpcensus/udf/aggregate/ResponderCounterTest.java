package org.mpcensus.udf.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.scope.Scope;

class ResponderCounterTest {
    static final Scope KEY = new Scope("2026-10", 4, 443, 1, 64496);

    static ResponderDelta delta(boolean mptcp, long replies, String... addresses) {
        AddressSet s = new AddressSet();
        for (String a : addresses) {
            s.add(a);
        }
        return new ResponderDelta(
                KEY,
                s,
                replies,
                mptcp ? ResponderDelta.Origin.MPTCP_PATH : ResponderDelta.Origin.PLAIN);
    }

    static KeyedOneInputStreamOperatorTestHarness<Scope, ResponderDelta, CountRow> harness()
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<Scope, ResponderDelta, CountRow> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new ResponderCounter(Duration.ZERO, 1)),
                        ResponderDelta::key,
                        TypeInformation.of(Scope.class));
        h.open();
        return h;
    }

    /** The last row the counter emitted for the key, or null. */
    static CountRow last(KeyedOneInputStreamOperatorTestHarness<?, ?, CountRow> h) {
        List<CountRow> rows = h.extractOutputValues();
        return rows.isEmpty() ? null : rows.get(rows.size() - 1);
    }

    static CountRow run(List<ResponderDelta> deltas) throws Exception {
        try (var h = harness()) {
            for (ResponderDelta d : deltas) {
                h.processElement(new StreamRecord<>(d));
            }
            return last(h);
        }
    }

    @Test
    void notMptcpHostsArePlainRespondersWithoutAnMptcpPathReplyInAnyOrder() throws Exception {
        List<ResponderDelta> deltas =
                List.of(
                        delta(false, 3, "192.0.2.1", "192.0.2.2", "192.0.2.3"),
                        delta(true, 0, "192.0.2.2"),
                        delta(false, 2, "192.0.2.3", "192.0.2.4"),
                        delta(true, 0, "192.0.2.9"),
                        delta(true, 0, "192.0.2.2"),
                        delta(false, 1, "192.0.2.1"));
        CountRow row = run(deltas);
        // plain {1,2,3,4} minus MPTCP path {2,9}: 1, 3, 4
        assertThat(row).isEqualTo(new CountRow(new CountKey(KEY, Classification.NOT_MPTCP), 3, 6));
        Random random = new Random(5);
        for (int i = 0; i < 20; i++) {
            List<ResponderDelta> shuffled = new ArrayList<>(deltas);
            Collections.shuffle(shuffled, random);
            assertThat(run(shuffled)).isEqualTo(row);
        }
    }

    @Test
    void aKeyWithoutPlainRepliesHasNoNotMptcpRow() throws Exception {
        assertThat(run(List.of(delta(true, 0, "192.0.2.1"), delta(true, 0, "192.0.2.2")))).isNull();
        // every plain responder also on the MPTCP path: the row is there with zero hosts
        assertThat(run(List.of(delta(true, 0, "192.0.2.1"), delta(false, 4, "192.0.2.1"))))
                .isEqualTo(new CountRow(new CountKey(KEY, Classification.NOT_MPTCP), 0, 4));
    }

    @Test
    void theSetsSurviveASnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.processElement(new StreamRecord<>(delta(false, 2, "192.0.2.1", "2001:db8::1")));
            h.processElement(new StreamRecord<>(delta(true, 0, "2001:db8::2")));
            snapshot = h.snapshot(1, 1);
        }
        try (KeyedOneInputStreamOperatorTestHarness<Scope, ResponderDelta, CountRow> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new ResponderCounter(Duration.ZERO, 1)),
                        ResponderDelta::key,
                        TypeInformation.of(Scope.class))) {
            h.initializeState(snapshot);
            h.open();
            // 2001:db8::1 was plain before the snapshot, 2001:db8::2 on the MPTCP path
            h.processElement(new StreamRecord<>(delta(false, 2, "2001:db8::1", "2001:db8::2")));
            h.processElement(new StreamRecord<>(delta(true, 0, "192.0.2.1")));
            assertThat(last(h))
                    .isEqualTo(new CountRow(new CountKey(KEY, Classification.NOT_MPTCP), 1, 4));
        }
    }

    @Test
    void aKeysSetsAndTimersGoAfterItsMonthAndTheLateness() throws Exception {
        long end = org.mpcensus.udf.month.Months.lateFrom("2026-10", 1);
        try (var h = harness()) {
            h.processElement(new StreamRecord<>(delta(false, 2, "198.18.1.1", "198.18.1.2"), 0));
            h.processElement(new StreamRecord<>(delta(true, 0, "198.18.1.2"), 1));
            h.processWatermark(end - 1);
            assertThat(h.numKeyedStateEntries()).isPositive();
            assertThat(last(h).hosts()).isEqualTo(1);
            h.processWatermark(end);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    /** The plain responders the counter emitted for the census's memory. */
    static List<PlainResponders> facts(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h) {
        List<PlainResponders> out = new ArrayList<>();
        var q = h.getSideOutput(ResponderCounter.PLAIN_RESPONDERS);
        if (q != null) {
            q.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    @Test
    void thePlainRespondersGoToTheMemoryWithTheLastRowEvenWhenThatRowWentOutBefore()
            throws Exception {
        try (var h = harness()) {
            h.processElement(new StreamRecord<>(delta(false, 2, "198.18.1.1", "198.18.1.2"), 0));
            h.processElement(new StreamRecord<>(delta(true, 0, "198.18.1.2"), 1));
            h.processElement(new StreamRecord<>(delta(false, 1, "198.18.1.3"), 2));
            // Rows go out on every change (interval 0); the responders not yet (once a minute).
            assertThat(h.extractOutputValues()).hasSize(3);
            assertThat(facts(h)).isEmpty();
            h.processWatermark(Long.MAX_VALUE);
            List<PlainResponders> facts = facts(h);
            assertThat(facts).hasSize(1);
            PlainResponders p = facts.get(0);
            assertThat(p.key()).isEqualTo(KEY);
            assertThat(p.replies()).isEqualTo(3);
            // Every plain responder, also one the MPTCP path counts: the count is their difference.
            assertThat(p.addresses().size()).isEqualTo(3);
            assertThat(p.addresses().contains("198.18.1.2")).isTrue();
            assertThat(h.extractOutputValues()).hasSize(3);
        }
    }

    @Test
    void thePlainRespondersGoToTheMemoryWhenTheMonthEndsAndNothingIsLeftBehind() throws Exception {
        long end = org.mpcensus.udf.month.Months.lateFrom("2026-10", 1);
        try (var h = harness()) {
            h.processElement(new StreamRecord<>(delta(false, 2, "198.18.1.1", "198.18.1.2"), 0));
            h.processWatermark(end);
            assertThat(facts(h)).hasSize(1);
            assertThat(facts(h).get(0).replies()).isEqualTo(2);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            h.processWatermark(Long.MAX_VALUE);
            assertThat(facts(h)).hasSize(1);
        }
    }

    static ResponderDelta remembered(Scope key, long replies, String... addresses) {
        AddressSet s = new AddressSet();
        for (String a : addresses) {
            s.add(a);
        }
        return new ResponderDelta(key, s, replies, ResponderDelta.Origin.REMEMBERED);
    }

    @Test
    void rememberedRespondersCountButOnlyTheRunsOwnRepliesGoToTheMemory() throws Exception {
        Scope other = new Scope("2026-10", 4, 80, 1, 64496);
        long end = org.mpcensus.udf.month.Months.lateFrom("2026-10", 1);
        try (var h = harness()) {
            // Other runs' responders of two keys; this run adds to one of them.
            h.processElement(new StreamRecord<>(remembered(KEY, 5, "198.18.1.1", "198.18.1.2"), 0));
            h.processElement(new StreamRecord<>(remembered(other, 4, "198.18.2.1"), 0));
            h.processElement(new StreamRecord<>(delta(false, 2, "198.18.1.2", "198.18.1.3"), 1));
            h.processElement(new StreamRecord<>(delta(true, 0, "198.18.1.1"), 2));
            // The rows count every run: 1.2 and 1.3 (1.1 is on the MPTCP path), 7 replies.
            CountRow row =
                    h.extractOutputValues().stream()
                            .filter(
                                    r ->
                                            r.key()
                                                    .equals(
                                                            new CountKey(
                                                                    KEY, Classification.NOT_MPTCP)))
                            .reduce((a, b) -> b)
                            .orElseThrow();
            assertThat(row.hosts()).isEqualTo(2);
            assertThat(row.replies()).isEqualTo(7);
            h.processWatermark(end);
            // Only the key this run added to is kept again, with this run's 2 replies: merged
            // with the other runs' rows (union, sum), it gives the count above.
            List<PlainResponders> facts = facts(h);
            assertThat(facts).hasSize(1);
            assertThat(facts.get(0).key()).isEqualTo(KEY);
            assertThat(facts.get(0).replies()).isEqualTo(2);
            assertThat(facts.get(0).addresses().contains("198.18.1.3")).isTrue();
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
