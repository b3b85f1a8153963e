package org.mpcensus.udf.overlap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.host.HostRow;
import org.mpcensus.udf.month.Months;

class OverlapTrackerTest {

    static HostRow row(String month, String host, int port, int version, Classification c) {
        long t = (Months.startMillis(Months.index(month)) + 3_600_000L) * 1000;
        return new HostRow(
                month, host, port, version, 4, 64496, c, version, null, -1, 1, t, t, false, null);
    }

    /** A: v0 on both ports in January, v1 on 443 only in February; B: v1 on 443, then both. */
    static final List<HostRow> SCENARIO =
            List.of(
                    row("2026-01", "A", 80, 0, Classification.CANDIDATE),
                    row("2026-01", "A", 443, 0, Classification.CANDIDATE),
                    row("2026-02", "A", 443, 1, Classification.CANDIDATE),
                    row("2026-02", "A", 443, 0, Classification.NOT_MPTCP),
                    row("2026-01", "B", 443, 1, Classification.CANDIDATE),
                    row("2026-02", "B", 443, 1, Classification.CANDIDATE),
                    row("2026-02", "B", 443, 0, Classification.CANDIDATE),
                    row("2026-02", "C", 443, 1, Classification.MIRRORED));

    static KeyedOneInputStreamOperatorTestHarness<String, HostRow, OverlapDelta> harness()
            throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new OverlapTracker(80, 443, 1)),
                        HostRow::host,
                        Types.STRING);
        h.open();
        return h;
    }

    /** "month measure port/version category" to hosts, zero counts left out. */
    static Map<String, Long> counts(List<OverlapDelta> deltas) {
        Map<String, Long> sums = new TreeMap<>();
        for (OverlapDelta d : deltas) {
            OverlapKey k = d.key();
            String where =
                    k.measure() == OverlapMeasure.PORTS
                            ? "v" + k.scope().probedVersion()
                            : "" + k.tableScope().port();
            sums.merge(
                    k.scope().month() + " " + k.measure() + " " + where + " " + k.label(),
                    d.hosts(),
                    Long::sum);
        }
        sums.values().removeIf(v -> v == 0);
        return sums;
    }

    static Map<String, Long> run(List<HostRow> rows) throws Exception {
        try (var h = harness()) {
            for (HostRow r : rows) {
                h.processElement(new StreamRecord<>(r, r.lastSeenMicros() / 1000));
            }
            return counts(h.extractOutputValues());
        }
    }

    @Test
    void theHostsStateIsAPojoOfPrimitiveArrays() {
        assertThat(org.apache.flink.api.common.typeinfo.TypeInformation.of(HostMonths.class))
                .isInstanceOf(org.apache.flink.api.java.typeutils.PojoTypeInfo.class);
        HostMonths h = new HostMonths();
        h.putCell(((long) 24321 << 16) | 443, 3);
        h.putCell(((long) 24321 << 16) | 80, 1);
        h.putOrigin(24321, 64496, 10);
        h.putCell(((long) 24321 << 16) | 443, 0);
        assertThat(h.cellsBetween(24321, 24321)).containsOnlyKeys(((long) 24321 << 16) | 80);
        assertThat(h.origin(24321)).isEqualTo(64496L);
        h.removeMonths(m -> m <= 24321);
        assertThat(h.holdsNothing()).isTrue();
    }

    @Test
    void portAndVersionOverlapAndMigrationOfAKnownScenario() throws Exception {
        assertThat(run(SCENARIO))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.ofEntries(
                                Map.entry("2026-01 VERSIONS 80 only_v0", 1L),
                                Map.entry("2026-01 VERSIONS 443 only_v0", 1L),
                                Map.entry("2026-01 VERSIONS 443 only_v1", 1L),
                                Map.entry("2026-02 VERSIONS 443 only_v1", 1L),
                                Map.entry("2026-02 VERSIONS 443 both", 1L),
                                Map.entry("2026-01 PORTS v0 both", 1L),
                                Map.entry("2026-01 PORTS v1 only_443", 1L),
                                Map.entry("2026-02 PORTS v0 only_443", 1L),
                                Map.entry("2026-02 PORTS v1 only_443", 2L),
                                Map.entry("2026-02 MIGRATION 443 added_v1", 1L),
                                Map.entry("2026-02 MIGRATION 443 dropped_v0", 1L),
                                Map.entry("2026-02 MIGRATION 443 switched_v0_to_v1", 1L)));
    }

    @Test
    void anyArrivalOrderGivesTheSameCounts() throws Exception {
        Map<String, Long> inOrder = run(SCENARIO);
        Random random = new Random(42);
        for (int i = 0; i < 20; i++) {
            List<HostRow> shuffled = new ArrayList<>(SCENARIO);
            Collections.shuffle(shuffled, random);
            assertThat(run(shuffled)).as("order %s", shuffled).isEqualTo(inOrder);
        }
    }

    @Test
    void aHostLosingItsCandidacyLeavesEveryCountItWasIn() throws Exception {
        List<HostRow> rows = new ArrayList<>(SCENARIO);
        rows.add(row("2026-02", "A", 443, 1, Classification.SUSPECT_KEY));
        Map<String, Long> c = run(rows);
        assertThat(c)
                .doesNotContainKeys(
                        "2026-02 VERSIONS 443 only_v1", "2026-02 MIGRATION 443 switched_v0_to_v1");
        assertThat(c).containsEntry("2026-02 PORTS v1 only_443", 1L);
    }

    @Test
    void stateAndTimersAreClearedOnceTheNextMonthIsFinalAndLateRowsAreCounted() throws Exception {
        try (var h = harness()) {
            for (HostRow r : SCENARIO) {
                h.processElement(new StreamRecord<>(r, r.lastSeenMicros() / 1000));
            }
            assertThat(h.numKeyedStateEntries()).isPositive();
            // January is kept while February may change: February takes rows until the end of
            // March (one month of lateness).
            h.processWatermark(Months.startMillis(Months.index("2026-04")) - 1);
            HostRow lateFeb = row("2026-02", "A", 443, 0, Classification.CANDIDATE);
            h.processElement(new StreamRecord<>(lateFeb, lateFeb.lastSeenMicros() / 1000));
            assertThat(counts(h.extractOutputValues()))
                    .as("February still changes, against January")
                    .containsEntry("2026-02 VERSIONS 443 both", 2L)
                    .doesNotContainKey("2026-02 MIGRATION 443 dropped_v0");
            h.processWatermark(Months.startMillis(Months.index("2026-04")));
            int emitted = h.extractOutputValues().size();
            HostRow tooLate = row("2026-02", "B", 443, 0, Classification.MIRRORED);
            h.processElement(new StreamRecord<>(tooLate, tooLate.lastSeenMicros() / 1000));
            assertThat(h.extractOutputValues()).hasSize(emitted);
            // February itself goes once March can no longer change.
            assertThat(h.numKeyedStateEntries()).isPositive();
            h.processWatermark(Months.startMillis(Months.index("2026-05")));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
