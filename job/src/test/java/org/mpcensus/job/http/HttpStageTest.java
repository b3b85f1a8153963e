package org.mpcensus.job.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.mpcensus.probe.http.HttpTiming;
import org.mpcensus.probe.http.Transport;
import org.mpcensus.probe.path.PathCategory;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.month.Months;
import org.mpcensus.udf.scope.HostOfInterest;
import org.mpcensus.udf.scope.Scope;

/** The schedule of paired runs (timers, restore) and the per-target medians. */
class HttpStageTest {
    static final HostOfInterest A =
            target("2026-12", 443, 64496, "DE", Classification.CANDIDATE)
                    .verified(PathCategory.TRULY_CAPABLE);

    static HostOfInterest target(
            String month, int port, long asn, String country, Classification c) {
        return new HostOfInterest(
                new Scope(month, 4, port, 1, asn), "198.51.100.7", country, c, null);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, HostOfInterest, HttpRun> schedule(
            int runs, long period) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, HostOfInterest, HttpRun> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new HttpStage.Schedule(runs, period, 1, 0)),
                        HttpStage::key,
                        Types.STRING);
        return h;
    }

    static List<HttpRun> out(KeyedOneInputStreamOperatorTestHarness<String, ?, HttpRun> h) {
        List<HttpRun> runs = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                runs.add((HttpRun) r.getValue());
            }
        }
        return runs;
    }

    @Test
    void withoutAPeriodATargetGetsAllItsRunsAtOnceInAlternatingOrderAndOnlyOnce() throws Exception {
        try (var h = schedule(4, 0)) {
            h.open();
            h.processElement(A, 0);
            h.processElement(A, 1);
            h.processElement(target("2026-12", 443, 0, null, Classification.CANDIDATE), 2);
            assertThat(out(h))
                    .containsExactly(
                            new HttpRun(A, 0, true),
                            new HttpRun(A, 1, false),
                            new HttpRun(A, 2, true),
                            new HttpRun(A, 3, false));
            // the same host on another port, or in another month, is another target
            h.processElement(target("2026-12", 80, 0, null, Classification.MIRRORED), 3);
            h.processElement(target("2027-01", 443, 0, null, Classification.MIRRORED), 4);
            assertThat(out(h)).hasSize(12);
        }
    }

    @Test
    void withAPeriodRunsComeOnePeriodApartAndARestoredJobMakesTheRunsStillDue() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = schedule(3, 1000)) {
            h.open();
            h.setProcessingTime(5000);
            h.processElement(A, 0);
            assertThat(out(h)).containsExactly(new HttpRun(A, 0, true));
            h.setProcessingTime(5999);
            assertThat(out(h)).hasSize(1);
            h.setProcessingTime(6000);
            assertThat(out(h)).containsExactly(new HttpRun(A, 0, true), new HttpRun(A, 1, false));
            snapshot = h.snapshot(1, 6000);
        }
        try (var restored = schedule(3, 1000)) {
            restored.initializeState(snapshot);
            restored.open();
            restored.setProcessingTime(6500);
            restored.processElement(A, 0);
            assertThat(out(restored)).isEmpty();
            restored.setProcessingTime(7000);
            assertThat(out(restored)).containsExactly(new HttpRun(A, 2, true));
            restored.setProcessingTime(20_000);
            assertThat(out(restored)).hasSize(1);
        }
    }

    /** When the state of a key of December 2026 may go, with a lateness of one month. */
    static final long END = Months.lateFrom("2026-12", 1);

    @Test
    void aScheduleForgetsItsTargetAfterTheMonthAndTheLateness() throws Exception {
        try (var h = schedule(2, 0)) {
            h.open();
            h.processElement(A, 0);
            assertThat(h.numKeyedStateEntries()).isPositive();
            h.processWatermark(END - 1);
            h.processElement(A, 1);
            assertThat(out(h)).hasSize(2);
            h.processWatermark(END);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
            // A target of that month now is too late: not timed, and no state.
            h.processElement(A, END + 1);
            assertThat(out(h)).hasSize(2);
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void runsStillDueWhenTheMonthEndsEndTheKeyWithTheLastOfThem() throws Exception {
        try (var h = schedule(3, 1000)) {
            h.open();
            h.setProcessingTime(0);
            h.processElement(A, 0);
            h.processWatermark(END);
            // Two runs are due: the key stays until the last.
            assertThat(h.numKeyedStateEntries()).isPositive();
            h.setProcessingTime(1000);
            h.setProcessingTime(2000);
            assertThat(out(h)).hasSize(3);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    static KeyedOneInputStreamOperatorTestHarness<String, HttpRunResult, HttpDeltaRow> deltas(
            int runs) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new HttpStage.Deltas(runs, 1)),
                r -> HttpStage.key(r.run().target()),
                Types.STRING);
    }

    @Test
    void theDeltasOfATargetGoWithItsLastRun() throws Exception {
        try (var h = deltas(2)) {
            h.open();
            h.processElement(
                    run(
                            0,
                            t(Transport.MPTCP, 50.0, 5.0, true, null),
                            t(Transport.TCP, 10.0, 4.0, false, null)),
                    0);
            assertThat(h.numKeyedStateEntries()).isPositive();
            h.processElement(
                    run(
                            1,
                            t(Transport.MPTCP, 30.0, 9.0, true, null),
                            t(Transport.TCP, 20.0, 3.0, false, null)),
                    1);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            // Every run updates the row; the last is the medians of both.
            assertThat(h.extractOutputValues()).hasSize(2);
            assertThat(h.extractOutputValues().get(1).connectDeltaMs()).isEqualTo(25.0);
        }
    }

    @Test
    void theDeltasOfATargetWhoseRunsNeverAllCameGoAfterTheMonthAndTheLateness() throws Exception {
        try (var h = deltas(3)) {
            h.open();
            h.processElement(
                    run(
                            0,
                            t(Transport.MPTCP, 50.0, 5.0, true, null),
                            t(Transport.TCP, 10.0, 4.0, false, null)),
                    0);
            h.processWatermark(END - 1);
            assertThat(h.numKeyedStateEntries()).isPositive();
            h.processWatermark(END);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    static HttpTiming t(
            Transport transport, Double connect, Double tls, boolean mptcp, String error) {
        return new HttpTiming(
                transport,
                connect,
                tls,
                connect == null ? null : connect + 10,
                error == null && connect != null ? connect + 20 : null,
                mptcp,
                error == null ? 200 : null,
                error == null ? 100 : 0,
                error);
    }

    static HttpRunResult run(int i, HttpTiming mptcp, HttpTiming tcp) {
        return new HttpRunResult(new HttpRun(A, i, i % 2 == 0), mptcp, tcp, 0);
    }

    @Test
    void theDeltasAreMediansOverTheRunsThatHaveBothTimes() {
        List<HttpRunResult> runs =
                List.of(
                        run(
                                0,
                                t(Transport.MPTCP, 50.0, 5.0, true, null),
                                t(Transport.TCP, 10.0, 4.0, false, null)),
                        run(
                                1,
                                t(Transport.MPTCP, 30.0, 9.0, true, null),
                                t(Transport.TCP, 20.0, 3.0, false, null)),
                        run(
                                2,
                                t(Transport.MPTCP, 25.0, 7.0, false, null),
                                t(Transport.TCP, 20.0, 7.0, false, null)),
                        run(
                                3,
                                t(Transport.MPTCP, null, null, false, "TIMEOUT"),
                                t(Transport.TCP, 5.0, 1.0, false, null)),
                        run(
                                4,
                                t(Transport.MPTCP, 40.0, null, true, "TLS: handshake"),
                                t(Transport.TCP, 10.0, 2.0, false, null)));
        HttpDeltaRow d = HttpStage.summarize(A, runs);
        assertThat(d.runs()).isEqualTo(5);
        assertThat(d.answeredRuns()).isEqualTo(3);
        assertThat(d.mptcpRuns()).isEqualTo(3);
        // connect deltas of runs 0, 1, 2, 4: 40, 10, 5, 30 -> (10 + 30) / 2
        assertThat(d.connectDeltaMs()).isEqualTo(20.0);
        // TLS deltas of runs 0, 1, 2: 1, 6, 0
        assertThat(d.tlsDeltaMs()).isEqualTo(1.0);
        // first byte = connect + 10 wherever connect is: as connect
        assertThat(d.firstByteDeltaMs()).isEqualTo(20.0);
        // total only without an error: runs 0, 1, 2 -> 40, 10, 5
        assertThat(d.totalDeltaMs()).isEqualTo(10.0);
        HttpDeltaRow none =
                HttpStage.summarize(
                        A,
                        List.of(
                                run(
                                        0,
                                        t(Transport.MPTCP, null, null, false, "ECONNREFUSED"),
                                        t(Transport.TCP, null, null, false, "ECONNREFUSED"))));
        assertThat(none.connectDeltaMs()).isNull();
        assertThat(none.totalDeltaMs()).isNull();
        assertThat(none.answeredRuns()).isZero();
    }
}
