package org.mpcensus.probe.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.mpcensus.probe.event.ProbeReply;
import org.mpcensus.probe.event.ReplyType;
import org.mpcensus.probe.packet.IpAddress;
import org.mpcensus.probe.packet.TcpSegment;
import org.mpcensus.probe.target.CyclicPermutation;
import org.mpcensus.probe.wire.ProbeValidator;

/**
 * Capture to reply without a wire: segments as the capture decodes them, checked against two scans'
 * secrets.
 */
class ReplyMatcherTest {
    static final byte[] US = IpAddress.parse("198.18.0.1");
    static final byte[] TARGET = IpAddress.parse("198.18.1.7");
    static final int FIRST_PORT = 32768;
    static final int SLICE = 1000;

    static ScanState scan(String id, long secret0, long secret1) {
        return new ScanState(
                id,
                CyclicPermutation.of(256, 1),
                new ProbeValidator(secret0, secret1, FIRST_PORT, SLICE),
                new ProbeValidator(secret0, secret1, FIRST_PORT, SLICE),
                ConcurrentHashMap.newKeySet());
    }

    /** The SYN-ACK (or RST) a target sends to the probe of a scan, a port and a version. */
    static TcpSegment answer(ScanState scan, String to, int port, int version, int flags) {
        ProbeValidator v = scan.sending();
        long seq = v.sequence(US, TARGET, port, version);
        int sport = v.sourcePort(US, TARGET, port, version);
        return new TcpSegment(
                4,
                "198.18.1.7",
                to,
                57,
                4242,
                port,
                sport,
                99,
                seq + 1 & 0xffffffffL,
                flags,
                64240,
                new byte[0],
                List.of(),
                null,
                List.of(),
                0);
    }

    final ReaderCounters counters = new ReaderCounters();
    final ReplyMatcher matcher =
            new ReplyMatcher("vp1", version -> new byte[] {(byte) version}, US, null, counters);
    final ScanState a = scan("scan-a", 11, 22);
    final ScanState b = scan("scan-b", 33, 44);

    @Test
    void aGenuineAnswerIsOneReplyOfItsScanAndVersionAndItsRepeatIsADuplicate() {
        TcpSegment synAck = answer(b, "198.18.0.1", 443, 1, TcpSegment.SYN | TcpSegment.ACK);
        ProbeReply r = matcher.match(synAck, 1_000_000L, List.of(a, b));
        assertThat(r).isNotNull();
        assertThat(r.scanId()).isEqualTo("scan-b");
        assertThat(r.vantage()).isEqualTo("vp1");
        assertThat(r.captureTimeMicros()).isEqualTo(1_000_000L);
        assertThat(r.probe().target()).isEqualTo("198.18.1.7");
        assertThat(r.probe().port()).isEqualTo(443);
        assertThat(r.probe().mptcpVersion()).isEqualTo(1);
        assertThat(r.probe().options()).containsExactly(1);
        assertThat(r.reply().type()).isEqualTo(ReplyType.SYN_ACK);
        assertThat(r.reply().ttl()).isEqualTo(57);
        assertThat(r.reply().ipId()).isEqualTo(4242);
        assertThat(r.reply().window()).isEqualTo(64240);
        assertThat(counters.valid.get()).isEqualTo(1);

        assertThat(matcher.match(synAck, 2_000_000L, List.of(a, b))).isNull();
        assertThat(counters.duplicates.get()).isEqualTo(1);
        // The same host, port and version in the other scan is a reply of its own.
        TcpSegment inA = answer(a, "198.18.0.1", 443, 1, TcpSegment.SYN | TcpSegment.ACK);
        assertThat(matcher.match(inA, 3_000_000L, List.of(a, b)).scanId()).isEqualTo("scan-a");
        // A RST of the v0 probe is a reply too.
        TcpSegment rst = answer(a, "198.18.0.1", 443, 0, TcpSegment.RST | TcpSegment.ACK);
        ProbeReply reset = matcher.match(rst, 4_000_000L, List.of(a, b));
        assertThat(reset.reply().type()).isEqualTo(ReplyType.RST);
        assertThat(reset.probe().mptcpVersion()).isZero();
        assertThat(counters.valid.get()).isEqualTo(3);
    }

    @Test
    void aForgedOrForeignOrMisaddressedSegmentIsNoReply() {
        TcpSegment genuine = answer(a, "198.18.0.1", 80, 0, TcpSegment.SYN | TcpSegment.ACK);
        // Another scan's secret: the MAC does not match any scan this reader has.
        assertThat(matcher.match(genuine, 1, List.of(b))).isNull();
        assertThat(counters.invalid.get()).isEqualTo(1);
        // To another address of this host: not this prober's, not counted.
        TcpSegment elsewhere = answer(a, "198.18.0.2", 80, 0, TcpSegment.SYN | TcpSegment.ACK);
        assertThat(matcher.match(elsewhere, 1, List.of(a))).isNull();
        assertThat(counters.invalid.get()).isEqualTo(1);
        assertThat(counters.valid.get()).isZero();
        // The genuine one still counts once, for its own scan.
        assertThat(matcher.match(genuine, 1, List.of(b, a))).isNotNull();
        assertThat(counters.valid.get()).isEqualTo(1);
    }
}
