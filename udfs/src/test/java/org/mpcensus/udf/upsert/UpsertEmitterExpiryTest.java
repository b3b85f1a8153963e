package org.mpcensus.udf.upsert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mpcensus.udf.aggregate.CountAggregator;
import org.mpcensus.udf.aggregate.CountDelta;
import org.mpcensus.udf.aggregate.CountKey;
import org.mpcensus.udf.aggregate.CountRow;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.keys.KeyWeightAggregator;
import org.mpcensus.udf.keys.KeyWeightDelta;
import org.mpcensus.udf.month.Months;
import org.mpcensus.udf.overlap.OverlapAggregator;
import org.mpcensus.udf.overlap.OverlapCategory;
import org.mpcensus.udf.overlap.OverlapDelta;
import org.mpcensus.udf.overlap.OverlapKey;
import org.mpcensus.udf.overlap.OverlapMeasure;
import org.mpcensus.udf.overlap.OverlapRow;
import org.mpcensus.udf.scope.Scope;

/**
 * The count, key-test and overlap aggregators keep a key only while its month can change: once the
 * watermark passes the end of the month plus the lateness, the key's last row has been emitted and
 * its state and timers are gone, with a pending row or without.
 */
class UpsertEmitterExpiryTest {

    /** An aggregator, a delta of October 2026 for one key, and how to key it. */
    record Case<K, I, R>(
            String name,
            UpsertEmitter<K, I, R> function,
            I delta,
            KeySelector<I, K> key,
            Class<K> keyType,
            Function<R, Object> total) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case<?, ?, ?>> aggregators() {
        return List.of(
                new Case<>(
                        "counts",
                        new CountAggregator(Duration.ofSeconds(1), 1),
                        new CountDelta(
                                new CountKey(
                                        new Scope("2026-10", 4, 443, 1, 64496),
                                        Classification.CANDIDATE),
                                1,
                                1),
                        CountDelta::key,
                        CountKey.class,
                        CountRow::replies),
                new Case<>(
                        "key-tests",
                        new KeyWeightAggregator(Duration.ofSeconds(1), 0.001, 1),
                        new KeyWeightDelta(new Scope("2026-10", 4, 443, 1, 64496), 32, 1),
                        KeyWeightDelta::key,
                        Scope.class,
                        r -> r.weights()[32]),
                new Case<>(
                        "overlap",
                        new OverlapAggregator(Duration.ofSeconds(1), 1),
                        new OverlapDelta(
                                new OverlapKey(
                                        new Scope("2026-10", 4, -1, 1, 64496),
                                        OverlapMeasure.PORTS,
                                        OverlapCategory.BOTH_PORTS),
                                1),
                        OverlapDelta::key,
                        OverlapKey.class,
                        OverlapRow::hosts));
    }

    static final long DECEMBER = Months.startMillis(Months.index("2026-12"));

    @ParameterizedTest
    @MethodSource("aggregators")
    <K, I, R> void aKeyGoesWithItsLastRowOnceItsMonthPlusTheLatenessIsOver(Case<K, I, R> c)
            throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<K, I, R> h = harness(c)) {
            h.setProcessingTime(0);
            h.processElement(new StreamRecord<>(c.delta(), 0));
            h.processElement(new StreamRecord<>(c.delta(), 0));
            assertThat(h.extractOutputValues()).isEmpty();
            // October can still change until the end of November.
            h.processWatermark(DECEMBER - 1);
            assertThat(h.numKeyedStateEntries()).isPositive();
            assertThat(h.extractOutputValues()).isEmpty();
            h.processWatermark(DECEMBER);
            // The pending row went out at the expiry, with both deltas.
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(c.total().apply(h.extractOutputValues().get(0))).isEqualTo(2L);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
            // A delta after the expiry is not applied and leaves no state.
            h.processElement(new StreamRecord<>(c.delta(), 0));
            h.setProcessingTime(10_000);
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("aggregators")
    <K, I, R> void aKeyWhoseRowWasAlreadyEmittedLeavesNothingAtItsExpiry(Case<K, I, R> c)
            throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<K, I, R> h = harness(c)) {
            h.setProcessingTime(0);
            h.processElement(new StreamRecord<>(c.delta(), 0));
            h.setProcessingTime(1000);
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            h.processWatermark(DECEMBER);
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    static <K, I, R> KeyedOneInputStreamOperatorTestHarness<K, I, R> harness(Case<K, I, R> c)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<K, I, R> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(c.function()),
                        c.key(),
                        TypeInformation.of(c.keyType()));
        h.open();
        return h;
    }
}
