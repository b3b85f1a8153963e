package org.mpcensus.udf.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.mpcensus.probe.event.ReplyType;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.classify.ClassifiedReply;
import org.mpcensus.udf.host.HostKey;
import org.mpcensus.udf.host.HostRow;
import org.mpcensus.udf.scope.Scope;

class HostTrackerTest {

    static ClassifiedReply reply(String host, long time, Classification c, String key) {
        return new ClassifiedReply(
                time,
                "2026-10",
                4,
                host,
                443,
                1,
                ReplyType.SYN_ACK,
                c,
                c.hasMpCapable() ? 1 : -1,
                key,
                key == null ? -1 : Long.bitCount(Long.parseUnsignedLong(key, 16)),
                64496,
                "GB",
                "vp",
                "s");
    }

    /** Runs the tracker on replies and returns the final host rows, summed counts and weights. */
    static Map<Object, Object> run(List<ClassifiedReply> replies) throws Exception {
        return runEvents(replies.stream().map(HostEvent::of).toList());
    }

    @Test
    void latestReplyDecidesTheHostsClassificationInAnyArrivalOrder() throws Exception {
        List<ClassifiedReply> replies =
                List.of(
                        reply("198.51.100.1", 10, Classification.CANDIDATE, "e356a8f252e41976"),
                        reply("198.51.100.1", 30, Classification.MIRRORED, null),
                        reply("198.51.100.1", 20, Classification.CANDIDATE, "e356a8f252e41976"),
                        reply("198.51.100.2", 5, Classification.NOT_MPTCP, null));
        Map<Object, Object> inOrder = run(replies);
        List<ClassifiedReply> reversed = new ArrayList<>(replies);
        java.util.Collections.reverse(reversed);
        assertThat(run(reversed)).isEqualTo(inOrder);

        HostRow one = (HostRow) inOrder.get("198.51.100.1");
        assertThat(one.classification()).isEqualTo(Classification.MIRRORED);
        assertThat(one.replies()).isEqualTo(3);
        assertThat(one.firstSeenMicros()).isEqualTo(10);
        assertThat(one.lastSeenMicros()).isEqualTo(30);
        CountKey candidates =
                new CountKey(new Scope("2026-10", 4, 443, 1, 64496), Classification.CANDIDATE);
        CountKey mirrored =
                new CountKey(new Scope("2026-10", 4, 443, 1, 64496), Classification.MIRRORED);
        // host 1 ends MIRRORED; its two candidate replies still count as replies
        assertThat(inOrder.get(candidates)).isEqualTo(List.of(0L, 2L));
        assertThat(inOrder.get(mirrored)).isEqualTo(List.of(1L, 1L));
        // host 1's key left the key-weight histogram when its latest reply became a mirror
        assertThat(inOrder.get("weights")).isEqualTo(Map.of());
        Map<Object, Object> stillCandidate = run(List.of(replies.get(0), replies.get(2)));
        assertThat(stillCandidate.get("weights"))
                .isEqualTo(Map.of(Long.bitCount(0xe356a8f252e41976L), 1L));
    }

    @Test
    void coalescedRowsAreEmittedOnTheTimerAndAtEndOfInputThenTimersAreCleared() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<HostKey, HostEvent, HostRow> h =
                harness(Duration.ofSeconds(1))) {
            h.setProcessingTime(0);
            h.processElement(
                    new StreamRecord<>(
                            HostEvent.of(reply("198.51.100.1", 10, Classification.NOT_MPTCP, null)),
                            10));
            h.processElement(
                    new StreamRecord<>(
                            HostEvent.of(
                                    reply(
                                            "198.51.100.1",
                                            20,
                                            Classification.CANDIDATE,
                                            "e356a8f252e41976")),
                            20));
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            h.setProcessingTime(1000);
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(h.extractOutputValues().get(0).replies()).isEqualTo(2);
            assertThat(h.numProcessingTimeTimers()).isZero();
            // Only the host-month's expiry is left.
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.processElement(
                    new StreamRecord<>(
                            HostEvent.of(reply("198.51.100.1", 30, Classification.MIRRORED, null)),
                            30));
            h.processWatermark(Long.MAX_VALUE);
            List<HostRow> rows = h.extractOutputValues();
            assertThat(rows).hasSize(2);
            assertThat(rows.get(1).classification()).isEqualTo(Classification.MIRRORED);
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aHostMonthIsClearedOnceTheMonthPlusTheLatenessIsOverAndLaterRepliesAreKeptNotApplied()
            throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<HostKey, HostEvent, HostRow> h =
                harness(Duration.ZERO)) {
            ClassifiedReply r =
                    reply("198.51.100.1", 10, Classification.CANDIDATE, "e356a8f252e41976");
            h.processElement(new StreamRecord<>(HostEvent.of(r), 0));
            assertThat(h.numKeyedStateEntries()).isPositive();
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            // October's replies are taken until the end of November (one month of lateness).
            long december =
                    org.mpcensus.udf.month.Months.startMillis(
                            org.mpcensus.udf.month.Months.index("2026-12"));
            h.processWatermark(december - 1);
            assertThat(h.numKeyedStateEntries()).isPositive();
            h.processWatermark(december);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            int rows = h.extractOutputValues().size();
            int deltas = h.getSideOutput(HostTracker.COUNT_DELTAS).size();
            assertThat(h.getSideOutput(HostTracker.LATE_REPLIES)).isNull();
            h.processElement(new StreamRecord<>(HostEvent.of(r), 0));
            assertThat(h.extractOutputValues()).hasSize(rows);
            assertThat(h.getSideOutput(HostTracker.COUNT_DELTAS)).hasSize(deltas);
            assertThat(h.numKeyedStateEntries()).isZero();
            // ... but kept, with the watermark it came after.
            assertThat(h.getSideOutput(HostTracker.LATE_REPLIES))
                    .extracting(StreamRecord::getValue)
                    .containsExactly(new LateReply(r, december, 1));
        }
    }

    @Test
    void aDuplicateKeyNoticeMovesTheHostAndItsRepliesToSuspectKeyWhenEverItArrives()
            throws Exception {
        ClassifiedReply r1 =
                reply("198.51.100.1", 10, Classification.CANDIDATE, "3030303030303030");
        ClassifiedReply r2 =
                reply("198.51.100.1", 20, Classification.CANDIDATE, "3030303030303030");
        HostEvent notice =
                HostEvent.of(
                        new org.mpcensus.udf.keys.DuplicateKeyNotice(
                                HostKey.of(r1), "3030303030303030"));
        Map<Object, Object> after = runEvents(List.of(HostEvent.of(r1), HostEvent.of(r2), notice));
        Map<Object, Object> before = runEvents(List.of(notice, HostEvent.of(r1), HostEvent.of(r2)));
        Map<Object, Object> between =
                runEvents(List.of(HostEvent.of(r1), notice, HostEvent.of(r2)));
        assertThat(before).isEqualTo(after);
        assertThat(between).isEqualTo(after);
        HostRow row = (HostRow) after.get("198.51.100.1");
        assertThat(row.classification()).isEqualTo(Classification.SUSPECT_KEY);
        assertThat(row.duplicateKey()).isTrue();
        assertThat(row.replies()).isEqualTo(2);
        CountKey suspect =
                new CountKey(new Scope("2026-10", 4, 443, 1, 64496), Classification.SUSPECT_KEY);
        CountKey candidate =
                new CountKey(new Scope("2026-10", 4, 443, 1, 64496), Classification.CANDIDATE);
        assertThat(after.get(suspect)).isEqualTo(List.of(1L, 2L));
        assertThat(after.get(candidate)).isEqualTo(List.of(0L, 0L));
    }

    /** An open harness of a tracker with one month of lateness. */
    static KeyedOneInputStreamOperatorTestHarness<HostKey, HostEvent, HostRow> harness(
            Duration emitInterval) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<HostKey, HostEvent, HostRow> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new HostTracker(emitInterval, 1)),
                        HostEvent::host,
                        TypeInformation.of(HostKey.class));
        h.open();
        return h;
    }

    static Map<Object, Object> runEvents(List<HostEvent> events) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<HostKey, HostEvent, HostRow> h =
                harness(Duration.ZERO)) {
            for (HostEvent e : events) {
                h.processElement(new StreamRecord<>(e, 0));
            }
            Map<Object, Object> result = new HashMap<>();
            for (HostRow row : h.extractOutputValues()) {
                result.put(row.host(), row);
            }
            Map<CountKey, long[]> counts = new HashMap<>();
            for (StreamRecord<CountDelta> d : h.getSideOutput(HostTracker.COUNT_DELTAS)) {
                long[] c = counts.computeIfAbsent(d.getValue().key(), k -> new long[2]);
                c[0] += d.getValue().hosts();
                c[1] += d.getValue().replies();
            }
            counts.forEach((k, v) -> result.put(k, List.of(v[0], v[1])));
            Map<Integer, Long> weights = new java.util.TreeMap<>();
            for (StreamRecord<org.mpcensus.udf.keys.KeyWeightDelta> d :
                    h.getSideOutput(HostTracker.KEY_WEIGHTS)) {
                weights.merge(d.getValue().weight(), (long) d.getValue().delta(), Long::sum);
            }
            weights.values().removeIf(v -> v == 0);
            result.put("weights", weights);
            return result;
        }
    }
}
