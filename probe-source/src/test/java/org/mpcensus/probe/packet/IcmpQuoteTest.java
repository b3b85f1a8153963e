package org.mpcensus.probe.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mpcensus.probe.archive.CaptureReader;
import org.mpcensus.probe.archive.CapturedFrame;

/**
 * The ICMP quote decoder on real captures from tcpdump's test suite (see {@code
 * captures/tcpdump/PROVENANCE.md}), compared with tcpdump's own decode, and on quotes of our own
 * probes: a full RFC 1812 quote with the TCP options, an RFC 792 quote of 8 bytes, and cut ones.
 */
class IcmpQuoteTest {
    static final Path DIR = Path.of("src/test/resources/captures/tcpdump");

    static List<PacketDecoder.Result> decodeAll(Path file) throws IOException {
        List<PacketDecoder.Result> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file);
                CaptureReader reader = new CaptureReader(in)) {
            CapturedFrame f;
            while ((f = reader.next()) != null) {
                out.add(PacketDecoder.decodeFrame(f.linkType(), f.data()));
            }
        }
        return out;
    }

    /** tcpdump's lines for one ICMP message of {@code mpls-traceroute-v.out}. */
    record Printed(
            int frame,
            String router,
            String to,
            boolean timeExceeded,
            int icmpLength,
            int quotedTtl,
            int quotedLength,
            String src,
            int sport,
            String dst,
            int dport) {}

    static final Pattern HEADER = Pattern.compile("^\\s*(\\d+)\\s+\\S+ \\S+ IP \\(.*proto ICMP");
    static final Pattern ICMP =
            Pattern.compile(
                    "^\\s*(\\S+) > (\\S+): ICMP (time exceeded in-transit|\\S+ udp port \\d+"
                            + " unreachable), length (\\d+)");
    static final Pattern QUOTED_IP =
            Pattern.compile("^\\s*IP \\(.*ttl (\\d+),.*proto UDP \\(17\\), length (\\d+)\\)");
    static final Pattern QUOTED_UDP =
            Pattern.compile("^\\s*(\\d+\\.\\d+\\.\\d+\\.\\d+)\\.(\\d+) > (\\S+)\\.(\\d+): UDP");

    static List<Printed> printed(Path out) throws IOException {
        List<String> lines = Files.readAllLines(out);
        List<Printed> result = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher h = HEADER.matcher(lines.get(i));
            if (!h.find()) {
                continue;
            }
            Matcher m = ICMP.matcher(lines.get(i + 1));
            Matcher ip = QUOTED_IP.matcher(lines.get(i + 2));
            Matcher udp = QUOTED_UDP.matcher(lines.get(i + 3));
            assertThat(m.find() && ip.find() && udp.find()).as(lines.get(i)).isTrue();
            result.add(
                    new Printed(
                            Integer.parseInt(h.group(1)),
                            m.group(1),
                            m.group(2),
                            m.group(3).startsWith("time"),
                            Integer.parseInt(m.group(4)),
                            Integer.parseInt(ip.group(1)),
                            Integer.parseInt(ip.group(2)),
                            udp.group(1),
                            Integer.parseInt(udp.group(2)),
                            udp.group(3),
                            Integer.parseInt(udp.group(4))));
        }
        return result;
    }

    @Test
    void aTracerouteOverPppDecodesAsTcpdumpPrintsIt() throws IOException {
        List<PacketDecoder.Result> results = decodeAll(DIR.resolve("mpls-traceroute.pcap"));
        List<Printed> want = printed(DIR.resolve("mpls-traceroute-v.out"));
        assertThat(want).hasSize(9);
        for (Printed p : want) {
            PacketDecoder.Result r = results.get(p.frame() - 1);
            assertThat(r.error()).as("frame %d", p.frame()).isNull();
            IcmpQuote q = r.icmp();
            assertThat(q).as("frame %d", p.frame()).isNotNull();
            assertThat(q.router()).isEqualTo(p.router());
            assertThat(q.to()).isEqualTo(p.to());
            assertThat(q.timeExceeded()).isEqualTo(p.timeExceeded());
            assertThat(q.unreachable()).isEqualTo(!p.timeExceeded());
            assertThat(q.administrativelyProhibited()).isFalse();
            assertThat(q.quoted().ttl()).isEqualTo(p.quotedTtl());
            assertThat(q.quoted().protocol()).isEqualTo(17);
            assertThat(q.quoted().src()).isEqualTo(p.src());
            assertThat(q.quoted().dst()).isEqualTo(p.dst());
            assertThat(q.quoted().sport()).isEqualTo(p.sport());
            assertThat(q.quoted().dport()).isEqualTo(p.dport());
            assertThat(q.quoted().tcp()).isNull();
            // The quote is the original datagram, without RFC 4884's padding and extensions.
            assertThat(q.quoteLength()).isEqualTo(Math.min(p.quotedLength(), p.icmpLength() - 8));
        }
        // Time exceeded comes with RFC 4884 extensions (MPLS labels), port unreachable with the
        // RFC 792 minimum: the IP header and 8 bytes of UDP.
        assertThat(want).filteredOn(Printed::timeExceeded).allMatch(p -> p.icmpLength() == 148);
        for (Printed p : want) {
            IcmpQuote q = results.get(p.frame() - 1).icmp();
            assertThat(q.extended()).isEqualTo(p.timeExceeded());
            if (!p.timeExceeded()) {
                assertThat(q.quoted().transportBytes()).isEqualTo(8);
            }
        }
        // The probes themselves (UDP inside MPLS) are neither ICMP nor errors.
        assertThat(results).filteredOn(r -> r.icmp() == null).allMatch(r -> r.error() == null);
    }

    @Test
    void brokenRealMessagesAreQuotesOrReasonsNeverExceptions() throws IOException {
        for (String name :
                List.of(
                        "icmp-rfc5837.pcap",
                        "icmp-cksum-oobr-1.pcap",
                        "icmp-cksum-oobr-2.pcap",
                        "icmpv6-rfc7112.pcap")) {
            List<PacketDecoder.Result> rs = decodeAll(DIR.resolve(name));
            assertThat(rs).as(name).hasSize(1);
            assertThat(rs.get(0).icmp() != null || rs.get(0).error() != null).as(name).isTrue();
        }
        IcmpQuote rfc5837 = decodeAll(DIR.resolve("icmp-rfc5837.pcap")).get(0).icmp();
        assertThat(rfc5837.router()).isEqualTo("10.4.0.2");
        assertThat(rfc5837.timeExceeded()).isTrue();
        assertThat(rfc5837.extended()).isTrue();
        assertThat(rfc5837.quoted().dport()).isEqualTo(33440);
        // Length fields that point past the capture: what was captured is the quote.
        IcmpQuote cut = decodeAll(DIR.resolve("icmp-cksum-oobr-1.pcap")).get(0).icmp();
        assertThat(cut.unreachable()).isTrue();
        assertThat(cut.quoted().dst()).isEqualTo("62.220.31.247");
        assertThat(cut.quoted().dport()).isEqualTo(1027);
        IcmpQuote v6 = decodeAll(DIR.resolve("icmpv6-rfc7112.pcap")).get(0).icmp();
        assertThat(v6.ipVersion()).isEqualTo(6);
        assertThat(v6.type()).isEqualTo(4);
        assertThat(v6.router()).isEqualTo("2001:630:42:110:2a0:98ff:fe15:ece7");
        assertThat(v6.timeExceeded() || v6.unreachable()).isFalse();
    }

    static final byte[] US = IpAddress.parse("198.18.0.1");
    static final byte[] TARGET = IpAddress.parse("198.18.10.7");
    static final byte[] ROUTER = IpAddress.parse("198.18.0.2");

    /** An ICMP time exceeded from ROUTER quoting the first {@code quoted} bytes of a probe. */
    static byte[] timeExceeded(byte[] probe, int quoted) {
        byte[] icmp = new byte[8 + quoted];
        icmp[0] = 11;
        System.arraycopy(probe, 0, icmp, 8, quoted);
        Bytes.putShort(
                icmp, 2, InternetChecksum.finish(InternetChecksum.add(0, icmp, 0, icmp.length)));
        byte[] ip = new byte[20 + icmp.length];
        ip[0] = 0x45;
        Bytes.putShort(ip, 2, ip.length);
        ip[8] = (byte) 64;
        ip[9] = 1;
        System.arraycopy(ROUTER, 0, ip, 12, 4);
        System.arraycopy(US, 0, ip, 16, 4);
        System.arraycopy(icmp, 0, ip, 20, icmp.length);
        return ip;
    }

    @Test
    void aFullQuoteOfOurProbeHasItsWholeTcpHeaderWithMpCapable() {
        byte[] probe =
                SynProbe.encode(US, TARGET, 40001, 443, 0x12345678L, 0, SynProbe.ZMAP_FORK_V0_KEY);
        probe[8] = 1;
        PacketDecoder.Result r = PacketDecoder.decodeIp(timeExceeded(probe, probe.length));
        IcmpQuote q = r.icmp();
        assertThat(q.timeExceeded()).isTrue();
        assertThat(q.router()).isEqualTo("198.18.0.2");
        assertThat(q.quoteLength()).isEqualTo(probe.length);
        assertThat(q.extended()).isFalse();
        assertThat(q.fullTcpQuote()).isTrue();
        assertThat(q.quoted().ttl()).isEqualTo(1);
        assertThat(q.quoted().seq()).isEqualTo(0x12345678L);
        TcpSegment tcp = q.quoted().tcp();
        assertThat(tcp.sport()).isEqualTo(40001);
        assertThat(tcp.dport()).isEqualTo(443);
        assertThat(tcp.mpCapable().version()).isEqualTo(0);
        assertThat(tcp.mpCapable().senderKey()).isEqualTo(SynProbe.ZMAP_FORK_V0_KEY);
    }

    @Test
    void anRfc792QuoteHasPortsAndSequenceButNoOptions() {
        byte[] probe = SynProbe.encode(US, TARGET, 40001, 80, 0xfedcba98L, 1, 0);
        IcmpQuote q = PacketDecoder.decodeIp(timeExceeded(probe, 28)).icmp();
        assertThat(q.quoteLength()).isEqualTo(28);
        assertThat(q.quoted().transportBytes()).isEqualTo(8);
        assertThat(q.quoted().sport()).isEqualTo(40001);
        assertThat(q.quoted().dport()).isEqualTo(80);
        assertThat(q.quoted().seq()).isEqualTo(0xfedcba98L);
        assertThat(q.quoted().tcp()).isNull();
        assertThat(q.fullTcpQuote()).isFalse();
    }

    @Test
    void aQuoteCutInsideTheOptionsIsAHeaderWithAnError() {
        byte[] probe = SynProbe.encode(US, TARGET, 40001, 80, 7, 0, SynProbe.ZMAP_FORK_V0_KEY);
        IcmpQuote q = PacketDecoder.decodeIp(timeExceeded(probe, 20 + 28)).icmp();
        assertThat(q.quoted().tcp()).isNotNull();
        assertThat(q.fullTcpQuote()).isFalse();
    }

    @Test
    void quotesTooShortForPortsAndSequenceAreDeadLettersWithAReason() {
        byte[] probe = SynProbe.encode(US, TARGET, 40001, 80, 7, 1, 0);
        for (int cut : new int[] {0, 10, 20, 24, 27}) {
            PacketDecoder.Result r = PacketDecoder.decodeIp(timeExceeded(probe, cut));
            assertThat(r.icmp()).as("cut %d", cut).isNull();
            assertThat(r.error()).as("cut %d", cut).isNotNull();
            assertThat(r.error().kind()).isEqualTo(DecodeError.Kind.BAD_ICMP_QUOTE);
        }
        byte[] header = timeExceeded(probe, 28);
        PacketDecoder.Result shortIcmp =
                PacketDecoder.decodeIp(java.util.Arrays.copyOf(header, 25));
        assertThat(shortIcmp.error().kind()).isEqualTo(DecodeError.Kind.TRUNCATED_ICMP);
    }
}
