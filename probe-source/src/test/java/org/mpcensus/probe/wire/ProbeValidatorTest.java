package org.mpcensus.probe.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpcensus.probe.packet.Bytes;
import org.mpcensus.probe.packet.IpAddress;
import org.mpcensus.probe.packet.TcpSegment;

class ProbeValidatorTest {
    static final byte[] US = IpAddress.parse("198.18.0.1");
    static final byte[] TARGET = IpAddress.parse("198.18.1.7");

    @Test
    void sipHashMatchesTheReferenceVector() {
        byte[] key = new byte[16];
        byte[] msg = new byte[15];
        for (int i = 0; i < 16; i++) {
            key[i] = (byte) i;
        }
        for (int i = 0; i < 15; i++) {
            msg[i] = (byte) i;
        }
        long k0 = Long.reverseBytes(Bytes.getLong(key, 0));
        long k1 = Long.reverseBytes(Bytes.getLong(key, 8));
        assertThat(new SipHash(k0, k1).hash(msg, 15)).isEqualTo(0xa129ca6149be45e5L);
    }

    static TcpSegment reply(int flags, int sport, int dport, long ack) {
        return new TcpSegment(
                4,
                "198.18.1.7",
                "198.18.0.1",
                64,
                0,
                sport,
                dport,
                99,
                ack,
                flags,
                1000,
                new byte[0],
                List.of(),
                null,
                List.of(),
                0);
    }

    @Test
    void genuineSynAckAndRstRevealTheProbedVersion() {
        ProbeValidator v = new ProbeValidator(11, 22, 32768, 1000);
        for (int version = 0; version <= 1; version++) {
            long seq = v.sequence(US, TARGET, 443, version);
            int sport = v.sourcePort(US, TARGET, 443, version);
            assertThat(
                            v.validate(
                                    reply(
                                            TcpSegment.SYN | TcpSegment.ACK,
                                            443,
                                            sport,
                                            seq + 1 & 0xffffffffL),
                                    US,
                                    TARGET))
                    .isEqualTo(version);
            assertThat(
                            v.validate(
                                    reply(
                                            TcpSegment.RST | TcpSegment.ACK,
                                            443,
                                            sport,
                                            seq + 1 & 0xffffffffL),
                                    US,
                                    TARGET))
                    .isEqualTo(version);
        }
    }

    @Test
    void forgedLateAndForeignRepliesAreRejected() {
        ProbeValidator v = new ProbeValidator(11, 22, 32768, 1000);
        long seq = v.sequence(US, TARGET, 443, 1);
        int sport = v.sourcePort(US, TARGET, 443, 1);
        int synAck = TcpSegment.SYN | TcpSegment.ACK;
        assertThat(v.validate(reply(synAck, 443, sport, seq), US, TARGET))
                .as("ack off by one")
                .isEqualTo(-1);
        assertThat(v.validate(reply(synAck, 80, sport, seq + 1), US, TARGET))
                .as("other port")
                .isEqualTo(-1);
        assertThat(v.validate(reply(synAck, 443, sport + 1, seq + 1), US, TARGET))
                .as("other source port")
                .isEqualTo(-1);
        assertThat(v.validate(reply(TcpSegment.RST, 443, sport, seq + 1), US, TARGET))
                .as("RST without ACK")
                .isEqualTo(-1);
        assertThat(v.validate(reply(TcpSegment.ACK, 443, sport, seq + 1), US, TARGET))
                .as("plain ACK")
                .isEqualTo(-1);
        // a reply to the previous scan's probe (another secret) arriving late
        ProbeValidator previous = new ProbeValidator(12, 22, 32768, 1000);
        long oldSeq = previous.sequence(US, TARGET, 443, 1);
        int oldPort = previous.sourcePort(US, TARGET, 443, 1);
        assertThat(v.validate(reply(synAck, 443, oldPort, oldSeq + 1), US, TARGET)).isEqualTo(-1);
        // another reader's slice of source ports
        ProbeValidator other = new ProbeValidator(11, 22, 33768, 1000);
        assertThat(other.validate(reply(synAck, 443, sport, seq + 1), US, TARGET)).isEqualTo(-1);
    }
}
