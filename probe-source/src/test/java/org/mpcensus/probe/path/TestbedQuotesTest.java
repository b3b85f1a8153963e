package org.mpcensus.probe.path;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mpcensus.probe.archive.CaptureReader;
import org.mpcensus.probe.archive.CapturedFrame;
import org.mpcensus.probe.packet.IcmpQuote;
import org.mpcensus.probe.packet.MpCapable;
import org.mpcensus.probe.packet.PacketDecoder;
import org.mpcensus.probe.packet.SynProbe;

/**
 * Real Linux routers' ICMP and ICMPv6 quotes of our TCP probes, captured on the testbed (see {@code
 * captures/testbed/PROVENANCE.md}): each router's quote shows what the testbed says it does to the
 * probe.
 */
class TestbedQuotesTest {
    static final Path CAPTURE = Path.of("src/test/resources/captures/testbed/path-quotes.pcap");
    static final long REWRITTEN = 0x1111222233334444L;

    @Test
    void everyRoutersQuoteShowsWhatItDidToTheProbe() throws IOException {
        Map<String, Integer> seen = new HashMap<>();
        try (InputStream in = Files.newInputStream(CAPTURE);
                CaptureReader reader = new CaptureReader(in)) {
            CapturedFrame f;
            while ((f = reader.next()) != null) {
                PacketDecoder.Result r = PacketDecoder.decodeFrame(f.linkType(), f.data());
                assertThat(r.error()).as("frame %d", f.number()).isNull();
                IcmpQuote q = r.icmp();
                if (q == null) {
                    continue;
                }
                assertThat(q.quoted().src()).isIn("198.18.0.1", "2001:db8:0:ffff::1");
                assertThat(q.quoted().protocol()).isEqualTo(6);
                String router = q.router();
                seen.merge(router, 1, Integer::sum);
                if (router.equals("198.18.0.42")) {
                    // The EMULATED RFC 792 router: ports and sequence number only.
                    assertThat(q.quoted().transportBytes()).isEqualTo(8);
                    assertThat(q.quoted().tcp()).isNull();
                    assertThat(q.quoted().dport()).isEqualTo(80);
                    continue;
                }
                if (q.unreachable()) {
                    assertThat(router).isIn("198.18.0.50", "2001:db8:0:f00c::2");
                    assertThat(q.administrativelyProhibited()).isTrue();
                    continue;
                }
                assertThat(q.timeExceeded()).isTrue();
                assertThat(q.fullTcpQuote()).as("a Linux router quotes it all").isTrue();
                // The probe's version by its header: 36 bytes for v0's MP_CAPABLE with a key.
                int version = q.quoted().transportBytes() == 36 ? 0 : 1;
                List<String> diff =
                        QuoteDiff.diff(
                                SynProbe.options(
                                        version, MpCapable.PROBE_FLAGS, SynProbe.ZMAP_FORK_V0_KEY),
                                SynProbe.DEFAULT_WINDOW,
                                q.quoted().tcp());
                switch (router) {
                    case "198.18.0.22", "2001:db8:0:f005::2" ->
                            assertThat(diff).containsExactly(QuoteDiff.MP_CAPABLE_REMOVED);
                    case "198.18.0.62" -> {
                        if (version == 0) {
                            assertThat(diff).containsExactly(QuoteDiff.MP_CAPABLE_KEY);
                            assertThat(q.quoted().tcp().mpCapable().senderKey())
                                    .isEqualTo(REWRITTEN);
                        } else {
                            assertThat(diff).isEmpty();
                        }
                    }
                    default -> assertThat(diff).as(router).isEmpty();
                }
            }
        }
        assertThat(seen)
                .containsKeys(
                        "198.18.0.2",
                        "2001:db8:0:ffff::2",
                        "198.18.0.22",
                        "2001:db8:0:f005::2",
                        "198.18.0.62",
                        "198.18.0.42",
                        "198.18.0.50",
                        "2001:db8:0:f00c::2");
    }
}
