package org.mpcensus.udf.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.host.HostRow;
import org.mpcensus.udf.month.Months;

class ConsistencyWindowTest {

    static HostRow row(String month, String host, Classification c) {
        long t = Months.startMillis(Months.index(month)) * 1000 + 5_000_000L;
        return new HostRow(
                month, host, 443, 1, 4, 64496, c, 1, "e356a8f252e41976", 33, 1, t, t, false, "GB");
    }

    static KeyedOneInputStreamOperatorTestHarness<HostIdentity, HostRow, ConsistencyRow> harness()
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<HostIdentity, HostRow, ConsistencyRow> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new ConsistencyWindow(3, 2, 1)),
                        HostIdentity::of,
                        TypeInformation.of(HostIdentity.class));
        h.open();
        return h;
    }

    /** The last row emitted per (host, month). */
    static Map<String, ConsistencyRow> finalRows(List<ConsistencyRow> rows) {
        Map<String, ConsistencyRow> last = new LinkedHashMap<>();
        for (ConsistencyRow r : rows) {
            last.put(r.host() + "|" + r.month(), r);
        }
        return last;
    }

    static Map<String, ConsistencyRow> run(List<HostRow> rows) throws Exception {
        try (var h = harness()) {
            for (HostRow r : rows) {
                h.processElement(new StreamRecord<>(r, r.lastSeenMicros() / 1000));
            }
            return finalRows(h.extractOutputValues());
        }
    }

    @Test
    void consistentAfterThreeCandidateMonthsInAnyArrivalOrder() throws Exception {
        List<HostRow> inOrder =
                List.of(
                        row("2026-01", "198.51.100.1", Classification.CANDIDATE),
                        row("2026-02", "198.51.100.1", Classification.CANDIDATE),
                        row("2026-03", "198.51.100.1", Classification.CANDIDATE),
                        row("2026-02", "198.51.100.2", Classification.MIRRORED),
                        row("2026-03", "198.51.100.2", Classification.CANDIDATE));
        List<HostRow> shuffled =
                new ArrayList<>(
                        List.of(
                                inOrder.get(2),
                                inOrder.get(4),
                                inOrder.get(0),
                                inOrder.get(3),
                                inOrder.get(1)));
        Map<String, ConsistencyRow> a = run(inOrder);
        assertThat(run(shuffled)).isEqualTo(a);

        assertThat(a.get("198.51.100.1|2026-03").consistent()).isTrue();
        assertThat(a.get("198.51.100.1|2026-03").candidateMonths()).isEqualTo(3);
        assertThat(a.get("198.51.100.1|2026-02").consistent()).isFalse();
        assertThat(a.get("198.51.100.1|2026-02").transientHost()).isFalse();
        assertThat(a.get("198.51.100.1|2026-01").transientHost()).isTrue();
        assertThat(a.get("198.51.100.2|2026-03").transientHost()).isTrue();
        assertThat(a.get("198.51.100.2|2026-02").candidate()).isFalse();
        assertThat(a.get("198.51.100.2|2026-02").transientHost()).isFalse();
    }

    @Test
    void aMonthTurningIntoACandidateLaterUpdatesTheMonthsAfterIt() throws Exception {
        Map<String, ConsistencyRow> r =
                run(
                        List.of(
                                row("2026-01", "h", Classification.NOT_MPTCP),
                                row("2026-02", "h", Classification.CANDIDATE),
                                row("2026-03", "h", Classification.CANDIDATE),
                                row("2026-01", "h", Classification.CANDIDATE)));
        assertThat(r.get("h|2026-03").consistent()).isTrue();
    }

    @Test
    void stateAndTimersAreClearedOnceTheHostHasBeenAbsentLongEnough() throws Exception {
        try (var h = harness()) {
            HostRow jan = row("2026-01", "198.51.100.1", Classification.CANDIDATE);
            h.processElement(new StreamRecord<>(jan, jan.lastSeenMicros() / 1000));
            assertThat(h.numKeyedStateEntries()).isPositive();
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            // January is needed by the windows ending in February and March, plus a month of
            // lateness: until the start of May.
            h.processWatermark(Months.startMillis(Months.index("2026-05")) - 1);
            assertThat(h.numKeyedStateEntries()).isPositive();
            h.processWatermark(Months.startMillis(Months.index("2026-05")));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aRowLaterThanTheLatenessIsNotApplied() throws Exception {
        try (var h = harness()) {
            HostRow feb = row("2026-02", "h", Classification.CANDIDATE);
            h.processElement(new StreamRecord<>(feb, feb.lastSeenMicros() / 1000));
            // January takes rows until the end of February, plus a month of lateness.
            h.processWatermark(Months.startMillis(Months.index("2026-03")) - 1);
            HostRow jan = row("2026-01", "h", Classification.CANDIDATE);
            h.processElement(new StreamRecord<>(jan, jan.lastSeenMicros() / 1000));
            int applied = h.extractOutputValues().size();
            assertThat(finalRows(h.extractOutputValues()).get("h|2026-02").candidateMonths())
                    .isEqualTo(2);
            h.processWatermark(Months.startMillis(Months.index("2026-03")));
            HostRow lateJan = row("2026-01", "h", Classification.MIRRORED);
            h.processElement(new StreamRecord<>(lateJan, lateJan.lastSeenMicros() / 1000));
            assertThat(h.extractOutputValues()).hasSize(applied);
        }
    }
}
