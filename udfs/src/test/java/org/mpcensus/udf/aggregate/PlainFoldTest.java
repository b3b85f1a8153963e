package org.mpcensus.udf.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.mpcensus.probe.event.ReplyType;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.classify.ClassifiedReply;
import org.mpcensus.udf.month.Months;

class PlainFoldTest {

    static ClassifiedReply plain(String month, String host, int port) {
        return new ClassifiedReply(
                Months.startMillis(Months.index(month)) * 1000 + 1,
                month,
                host.contains(":") ? 6 : 4,
                host,
                port,
                1,
                ReplyType.SYN_ACK,
                Classification.NOT_MPTCP,
                -1,
                null,
                -1,
                64496,
                "GB",
                "vp",
                "s");
    }

    static OneInputStreamOperatorTestHarness<ClassifiedReply, ResponderDelta> harness(
            Duration interval) throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(new PlainFold(interval, 0));
        h.setProcessingTime(0);
        h.open();
        return h;
    }

    @Test
    void foldsRepliesPerKeyAndEmitsOnTheIntervalBeforeBarriersAndWatermarksAndAtTheEnd()
            throws Exception {
        try (var h = harness(Duration.ofSeconds(1))) {
            h.processElement(new StreamRecord<>(plain("2026-10", "192.0.2.1", 443)));
            h.processElement(new StreamRecord<>(plain("2026-10", "192.0.2.1", 443)));
            h.processElement(new StreamRecord<>(plain("2026-10", "192.0.2.2", 443)));
            h.processElement(new StreamRecord<>(plain("2026-10", "192.0.2.2", 80)));
            assertThat(h.extractOutputValues()).isEmpty();
            h.setProcessingTime(1000);
            List<ResponderDelta> out = h.extractOutputValues();
            assertThat(out).hasSize(2);
            ResponderDelta p443 =
                    out.stream().filter(d -> d.key().port() == 443).findFirst().orElseThrow();
            assertThat(p443.addresses().size()).isEqualTo(2);
            assertThat(p443.replies()).isEqualTo(3);
            assertThat(p443.mptcpPath()).isFalse();
            h.getOutput().clear();

            // before a checkpoint barrier: nothing is left in the operator to snapshot
            h.processElement(new StreamRecord<>(plain("2026-10", "2001:db8::1", 443)));
            h.prepareSnapshotPreBarrier(1);
            assertThat(h.extractOutputValues()).hasSize(1);
            h.getOutput().clear();

            // before a watermark: the delta goes out ahead of it
            h.processElement(new StreamRecord<>(plain("2026-10", "192.0.2.3", 443)));
            h.processWatermark(new Watermark(5));
            assertThat(h.getOutput().poll()).isInstanceOf(StreamRecord.class);
            assertThat(h.getOutput().poll()).isEqualTo(new Watermark(5));
            h.getOutput().clear();

            h.processElement(new StreamRecord<>(plain("2026-10", "192.0.2.4", 443)));
            h.endInput();
            assertThat(h.extractOutputValues()).hasSize(1);
        }
    }

    @Test
    void aReplyOfAClosedMonthIsALateReplyNotAnAddress() throws Exception {
        try (var h = harness(Duration.ofSeconds(1))) {
            h.processWatermark(new Watermark(Months.startMillis(Months.index("2026-11")) + 5));
            h.processElement(new StreamRecord<>(plain("2026-10", "192.0.2.1", 443)));
            h.processElement(new StreamRecord<>(plain("2026-11", "192.0.2.1", 443)));
            h.endInput();
            assertThat(h.getSideOutput(HostTracker.LATE_REPLIES)).hasSize(1);
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(d -> assertThat(d.key().month()).isEqualTo("2026-11"));
        }
    }
}
