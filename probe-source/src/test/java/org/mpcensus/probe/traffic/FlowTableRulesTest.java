package org.mpcensus.probe.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpcensus.probe.packet.IpAddress;
import org.mpcensus.probe.packet.MpCapable;
import org.mpcensus.probe.packet.PacketDecoder;
import org.mpcensus.probe.packet.TcpEncoder;
import org.mpcensus.probe.packet.TcpSegment;

/** When flows begin and end, who is the client, and what MPTCP marks a flow with. */
class FlowTableRulesTest {
    static final String C = "198.18.1.1";
    static final String S = "198.18.2.2";
    static final long SECOND = 1_000_000L;

    final List<FlowRecord> out = new ArrayList<>();
    final FlowTable table = new FlowTable("t", 30 * SECOND, out::add);

    static TcpSegment seg(String src, int sport, String dst, int dport, int flags, byte[] options) {
        return seg(src, sport, dst, dport, flags, 1, options);
    }

    static TcpSegment seg(
            String src, int sport, String dst, int dport, int flags, long seq, byte[] options) {
        return PacketDecoder.decodeIp(
                        TcpEncoder.encode(
                                IpAddress.parse(src),
                                IpAddress.parse(dst),
                                64,
                                sport,
                                dport,
                                seq,
                                flags == TcpSegment.SYN ? 0 : 1,
                                flags,
                                1000,
                                options))
                .segment();
    }

    void add(long t, String src, int sport, String dst, int dport, int flags, byte[] options) {
        table.add(t, 100, seg(src, sport, dst, dport, flags, options));
    }

    static final int SYN = TcpSegment.SYN;
    static final int SYN_ACK = TcpSegment.SYN | TcpSegment.ACK;
    static final int ACK = TcpSegment.ACK;
    static final int FIN = TcpSegment.FIN | TcpSegment.ACK;

    @Test
    void aHandshakeDataAndCloseIsOneFlowWithItsLastAcksAndTheSynSenderIsTheClient() {
        add(0, C, 40000, S, 443, SYN, new byte[0]);
        add(1, S, 443, C, 40000, SYN_ACK, new byte[0]);
        add(2, C, 40000, S, 443, ACK, new byte[0]);
        add(3, C, 40000, S, 443, FIN, new byte[0]);
        add(4, S, 443, C, 40000, FIN, new byte[0]);
        add(5, C, 40000, S, 443, ACK, new byte[0]);
        table.finish();
        assertThat(out)
                .singleElement()
                .satisfies(
                        f -> {
                            assertThat(f.client()).isEqualTo(C);
                            assertThat(f.serverPort()).isEqualTo(443);
                            assertThat(f.packetsUp()).isEqualTo(4);
                            assertThat(f.packetsDown()).isEqualTo(2);
                            assertThat(f.bytes()).isEqualTo(600);
                            assertThat(f.end()).isEqualTo(FlowEnd.FIN);
                            assertThat(f.mptcp()).isFalse();
                        });
    }

    @Test
    void idleTimeAndANewSynAfterAResetEndAFlow() {
        add(0, C, 40000, S, 80, ACK, new byte[0]);
        add(40 * SECOND, C, 40000, S, 80, ACK, new byte[0]);
        add(41 * SECOND, S, 80, C, 40000, TcpSegment.RST, new byte[0]);
        add(42 * SECOND, C, 40000, S, 80, SYN, new byte[0]);
        table.finish();
        assertThat(out)
                .extracting(FlowRecord::end)
                .containsExactly(FlowEnd.IDLE, FlowEnd.RST, FlowEnd.END);
        assertThat(out).extracting(FlowRecord::packets).containsExactly(1L, 2L, 1L);
        // Without a SYN the first packet's source is the client; a SYN-ACK's receiver is.
        assertThat(out.get(0).client()).isEqualTo(C);
        out.clear();
        add(100 * SECOND, S, 8080, C, 50000, SYN_ACK, new byte[0]);
        table.finish();
        assertThat(out.get(0).client()).isEqualTo(C);
        assertThat(out.get(0).clientPort()).isEqualTo(50000);
    }

    /**
     * A SYN sent again with its initial sequence number after the peer's RST is the same connection
     * (TShark keeps one {@code tcp.stream}); a SYN with a new one after a RST or FIN is a new
     * connection.
     */
    @Test
    void aSynSentAgainAfterAResetStaysInItsFlowAndANewInitialSequenceNumberStartsOne() {
        table.add(0, 100, seg(C, 40000, S, 443, SYN, 7000, new byte[0]));
        table.add(1, 100, seg(S, 443, C, 40000, TcpSegment.RST | ACK, 0, new byte[0]));
        table.add(SECOND, 100, seg(C, 40000, S, 443, SYN, 7000, new byte[0]));
        table.add(SECOND + 1, 100, seg(S, 443, C, 40000, SYN_ACK, 9000, new byte[0]));
        table.add(SECOND + 2, 100, seg(C, 40000, S, 443, ACK, 7001, new byte[0]));
        table.add(SECOND + 3, 100, seg(C, 40000, S, 443, FIN, 7001, new byte[0]));
        table.add(2 * SECOND, 100, seg(C, 40000, S, 443, SYN, 12000, new byte[0]));
        table.finish();
        assertThat(out).extracting(FlowRecord::packets).containsExactly(6L, 1L);
        assertThat(out).extracting(FlowRecord::end).containsExactly(FlowEnd.FIN, FlowEnd.END);
    }

    @Test
    void mpCapableMarksTheConnectionAndMpJoinItsSubflowsWithTheServersToken() {
        long serverKey = 0x1122334455667788L;
        byte[] synCapable = MpCapable.synOption(1, 0x81, 0);
        byte[] synAckCapable = MpCapable.synOption(0, 0x81, serverKey);
        synAckCapable[2] = 1;
        add(0, C, 40000, S, 443, SYN, synCapable);
        add(1, S, 443, C, 40000, SYN_ACK, synAckCapable);
        long token = MptcpToken.of(serverKey, 1);
        byte[] join = {30, 12, 0x10, 1, 0, 0, 0, 0, 9, 9, 9, 9};
        join[4] = (byte) (token >>> 24);
        join[5] = (byte) (token >>> 16);
        join[6] = (byte) (token >>> 8);
        join[7] = (byte) token;
        add(2, "198.18.1.9", 40001, S, 443, SYN, join);
        // A server that answers MP_CAPABLE without it falls back to TCP.
        add(3, C, 40002, S, 443, SYN, synCapable);
        add(4, S, 443, C, 40002, SYN_ACK, new byte[0]);
        table.finish();
        FlowRecord connection = out.get(0);
        FlowRecord subflow = out.get(1);
        assertThat(connection.mptcpVersion()).isEqualTo(1);
        assertThat(connection.serverToken()).isEqualTo(token);
        assertThat(subflow.subflow()).isTrue();
        assertThat(subflow.joinToken()).isEqualTo(connection.serverToken());
        assertThat(out.get(2).mptcp()).isFalse();
        // v0 tokens are SHA-1's, v1 tokens SHA-256's.
        assertThat(MptcpToken.of(serverKey, 0)).isNotEqualTo(MptcpToken.of(serverKey, 1));
    }
}
