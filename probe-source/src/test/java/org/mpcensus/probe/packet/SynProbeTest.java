package org.mpcensus.probe.packet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SynProbeTest {

    @Test
    void v0ProbeOverIpv4CarriesTheStaticKeyAndValidChecksums() {
        byte[] p =
                SynProbe.encode(
                        IpAddress.parse("198.18.0.1"),
                        IpAddress.parse("198.18.1.2"),
                        40000,
                        443,
                        0xdeadbeefL,
                        0,
                        SynProbe.ZMAP_FORK_V0_KEY);
        assertThat(InternetChecksum.finish(InternetChecksum.add(0, p, 0, 20))).isZero();
        assertThat(InternetChecksum.tcp(p, 0, 20, p.length - 20)).isZero();
        TcpSegment s = PacketDecoder.decodeIp(p).segment();
        assertThat(s.isSyn()).isTrue();
        assertThat(s.errors()).isEmpty();
        assertThat(s.seq()).isEqualTo(0xdeadbeefL);
        assertThat(s.mpCapable().length()).isEqualTo(12);
        assertThat(s.mpCapable().flags()).isEqualTo(0x81);
        assertThat(s.mpCapable().senderKeyHex()).isEqualTo("0c0c0c0c0c0c0c0c");
        assertThat(s.options()).extracting(TcpOption::name).containsExactly("mss", "mptcp");
    }

    @Test
    void v1ProbeOverIpv6IsKeylessWithValidChecksum() {
        byte[] p =
                SynProbe.encode(
                        IpAddress.parse("2001:db8::1"),
                        IpAddress.parse("2001:db8:1::2"),
                        40001,
                        80,
                        7,
                        1,
                        0);
        assertThat(InternetChecksum.tcp(p, 0, 40, p.length - 40)).isZero();
        TcpSegment s = PacketDecoder.decodeIp(p).segment();
        assertThat(s.ipVersion()).isEqualTo(6);
        assertThat(s.src()).isEqualTo("2001:db8::1");
        assertThat(s.dst()).isEqualTo("2001:db8:1::2");
        assertThat(s.mpCapable().length()).isEqualTo(4);
        assertThat(s.mpCapable().version()).isEqualTo(1);
        assertThat(s.mpCapable().senderKey()).isNull();
    }

    @Test
    void checksumChangesWhenAnyByteChanges() {
        byte[] p =
                SynProbe.encode(
                        IpAddress.parse("198.18.0.1"),
                        IpAddress.parse("198.18.1.2"),
                        1,
                        2,
                        3,
                        1,
                        0);
        p[p.length - 1] ^= 1;
        assertThat(InternetChecksum.tcp(p, 0, 20, p.length - 20)).isNotZero();
    }
}
