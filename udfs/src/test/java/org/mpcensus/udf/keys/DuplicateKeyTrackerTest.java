package org.mpcensus.udf.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.mpcensus.probe.event.ReplyType;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.classify.ClassifiedReply;
import org.mpcensus.udf.host.HostKey;
import org.mpcensus.udf.month.Months;

class DuplicateKeyTrackerTest {
    static final String KEY = "e356a8f252e41976";

    static ClassifiedReply candidate(String host, int port) {
        return new ClassifiedReply(
                10,
                "2026-10",
                4,
                host,
                port,
                1,
                ReplyType.SYN_ACK,
                Classification.CANDIDATE,
                1,
                KEY,
                33,
                64496,
                null,
                "vp",
                "s");
    }

    /** The hosts that got a notice. */
    static Set<HostKey> noticed(List<ClassifiedReply> replies) throws Exception {
        try (var h = harness()) {
            for (ClassifiedReply r : replies) {
                h.processElement(new StreamRecord<>(r, 0));
            }
            Set<HostKey> hosts = new HashSet<>();
            h.extractOutputValues().forEach(n -> hosts.add(n.host()));
            return hosts;
        }
    }

    @Test
    void aKeyOfTwoAddressesMarksEveryHostThatReturnedItInAnyOrder() throws Exception {
        List<ClassifiedReply> replies =
                List.of(
                        candidate("198.51.100.1", 80),
                        candidate("198.51.100.1", 443),
                        candidate("198.51.100.2", 443),
                        candidate("198.51.100.3", 80));
        Set<HostKey> all = new HashSet<>();
        replies.forEach(r -> all.add(HostKey.of(r)));
        assertThat(noticed(replies)).isEqualTo(all);
        List<ClassifiedReply> reversed = new ArrayList<>(replies);
        java.util.Collections.reverse(reversed);
        assertThat(noticed(reversed)).isEqualTo(all);
        // One address on two ports is no duplicate.
        assertThat(noticed(replies.subList(0, 2))).isEmpty();
    }

    @Test
    void aMonthsKeysAreClearedOnceTheMonthPlusTheLatenessIsOverAndLaterRepliesAreNotApplied()
            throws Exception {
        long december = Months.startMillis(Months.index("2026-12"));
        try (var h = harness()) {
            h.processElement(new StreamRecord<>(candidate("198.51.100.1", 443), 0));
            assertThat(h.numKeyedStateEntries()).isPositive();
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            h.processWatermark(december - 1);
            assertThat(h.numKeyedStateEntries()).isPositive();
            h.processWatermark(december);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            // Past the lateness: neither applied nor kept as state.
            h.processElement(new StreamRecord<>(candidate("198.51.100.2", 443), 0));
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    static KeyedOneInputStreamOperatorTestHarness<String, ClassifiedReply, DuplicateKeyNotice>
            harness() throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new DuplicateKeyTracker(1)),
                        DuplicateKeyTracker::keyOf,
                        Types.STRING);
        h.open();
        return h;
    }
}
