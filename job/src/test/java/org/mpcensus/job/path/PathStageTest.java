package org.mpcensus.job.path;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.month.Months;
import org.mpcensus.udf.scope.HostOfInterest;
import org.mpcensus.udf.scope.Scope;

/** A host is verified once per month, port and version, and that memory ends with the month. */
class PathStageTest {
    static final HostOfInterest A = request("2026-12", 443, Classification.CANDIDATE);

    static HostOfInterest request(String month, int port, Classification c) {
        return new HostOfInterest(
                new Scope(month, 4, port, 1, 64496), "198.51.100.7", "DE", c, null);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, HostOfInterest, HostOfInterest> once()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new PathStage.FirstPerKey(1)),
                PathStage::key,
                Types.STRING);
    }

    @Test
    void aHostIsVerifiedOnceAMonthAndItsKeyGoesAfterTheMonthAndTheLateness() throws Exception {
        long end = Months.lateFrom("2026-12", 1);
        try (var h = once()) {
            h.open();
            h.processElement(A, 0);
            h.processElement(A, 1);
            // Another month or port is another key.
            h.processElement(request("2027-01", 443, Classification.MIRRORED), 2);
            h.processElement(request("2026-12", 80, Classification.MIRRORED), 3);
            assertThat(h.extractOutputValues()).hasSize(3).startsWith(A);
            h.processWatermark(end - 1);
            assertThat(h.numKeyedStateEntries()).isEqualTo(3);
            h.processWatermark(end);
            // The December keys are gone; January's stays until its own end.
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            // A December request now came too late for the census: not verified, no state.
            h.processElement(A, end + 1);
            assertThat(h.extractOutputValues()).hasSize(3);
            h.processWatermark(Months.lateFrom("2027-01", 1));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
