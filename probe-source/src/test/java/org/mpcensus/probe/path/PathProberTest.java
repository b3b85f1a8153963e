package org.mpcensus.probe.path;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.probe.packet.IpAddress;
import org.mpcensus.probe.packet.MpCapable;
import org.mpcensus.probe.packet.SynProbe;
import org.mpcensus.probe.packet.TcpSegment;
import org.mpcensus.probe.target.Blocklist;
import org.mpcensus.probe.target.OptOutList;
import org.mpcensus.probe.testbed.QuoteEmulator;
import org.mpcensus.probe.testbed.ReplyEmulator;
import org.mpcensus.probe.testing.LoopbackWire;
import org.mpcensus.probe.wire.ProbeSender;

/**
 * The path prober on a {@link LoopbackWire} (a fake wire: the test's routers and hosts answer each
 * probe at once, by its TTL): when it stops, what it concludes, and that a blocked host is never
 * probed. The testbed's real routers are {@code PathVerificationITCase}'s.
 *
 * <ul>
 *   <li>198.18.10.1: two routers quoting whole packets, then the host, answering MP_CAPABLE with
 *       its own key;
 *   <li>198.18.10.2: router 1 quotes, router 2 is silent, router 3 quotes 8 bytes, then the host
 *       answers without MP_CAPABLE;
 *   <li>198.18.10.3: nothing ever answers;
 *   <li>198.18.10.4: routers answer every TTL, the host never;
 *   <li>198.18.10.9: on the blocklist.
 * </ul>
 */
class PathProberTest {
    static final byte[] US = IpAddress.parse("198.18.0.1");
    static final PathProber.Settings SETTINGS =
            new PathProber.Settings(6, 3, 100, 10_000, 61000, 100, SynProbe.ZMAP_FORK_V0_KEY);

    @TempDir Path dir;

    static List<byte[]> network(byte[] frame, TcpSegment syn) {
        int ttl = syn.ttl();
        int host = IpAddress.parse(syn.dst())[3];
        byte[] router = IpAddress.parse("198.18.0." + (100 + ttl));
        List<byte[]> out = new ArrayList<>();
        switch (host) {
            case 1 -> {
                if (ttl < 3) {
                    out.add(QuoteEmulator.timeExceeded(frame, router, 1500));
                } else {
                    byte[] own = MpCapable.synOption(0, 0x81, 0x0123456789abcdefL);
                    out.add(
                            ReplyEmulator.answer(
                                    frame, syn, TcpSegment.SYN | TcpSegment.ACK, 5, own));
                }
            }
            case 2 -> {
                if (ttl == 1) {
                    out.add(QuoteEmulator.timeExceeded(frame, router, 1500));
                } else if (ttl == 3) {
                    out.add(QuoteEmulator.timeExceeded(frame, router, 8));
                } else if (ttl >= 4) {
                    out.add(
                            ReplyEmulator.answer(
                                    frame, syn, TcpSegment.SYN | TcpSegment.ACK, 5, new byte[0]));
                }
            }
            case 4 -> out.add(QuoteEmulator.timeExceeded(frame, router, 1500));
            default -> {}
        }
        return out;
    }

    static int sentTo(LoopbackWire wire, String host) {
        return (int) wire.sent().stream().filter(s -> s.dst().equals(host)).count();
    }

    @Test
    void eachHostIsProbedHopByHopUntilItsPathIsKnown() throws Exception {
        Path blocked = Files.writeString(dir.resolve("blocklist.txt"), "198.18.10.9/32\n");
        LoopbackWire wire = LoopbackWire.answering(PathProberTest::network);
        ProbeSender sender =
                new ProbeSender(
                        wire,
                        new byte[] {2, 0, 0, 0, 0, 1},
                        new byte[] {2, 0, 0, 0, 0, 2},
                        US,
                        null,
                        new OptOutList(Blocklist.of(List.of(blocked), List.of()), null),
                        SETTINGS.v0Key());
        try (PathProber prober = new PathProber(wire, sender, US, null, SETTINGS)) {
            List<CompletableFuture<PathResult>> futures = new ArrayList<>();
            for (int h : new int[] {1, 2, 3, 4, 9}) {
                futures.add(prober.verify("198.18.10." + h, 443, 0));
            }
            List<PathResult> r = new ArrayList<>();
            for (CompletableFuture<PathResult> f : futures) {
                r.add(f.get(30, TimeUnit.SECONDS));
            }

            assertThat(r.get(0).category()).isEqualTo(PathCategory.TRULY_CAPABLE);
            assertThat(r.get(0).targetHop()).isEqualTo(3);
            assertThat(r.get(0).quoteLengths()).isEqualTo("56,56");
            assertThat(sentTo(wire, "198.18.10.1")).isEqualTo(3);

            assertThat(r.get(1).category()).isEqualTo(PathCategory.MIDDLEBOX_AFFECTED);
            assertThat(r.get(1).modification()).isEqualTo(QuoteDiff.UNKNOWN);
            assertThat(r.get(1).modifyingHop()).isEqualTo(3);
            assertThat(r.get(1).hopAddress()).isEqualTo("198.18.0.103");
            assertThat(r.get(1).quoteLengths()).isEqualTo("56,*,28");
            assertThat(r.get(1).targetHop()).isEqualTo(4);

            // Three silent hops in a row end the path; the max TTL ends the one that never
            // reaches its host.
            assertThat(r.get(2).category()).isEqualTo(PathCategory.UNREACHABLE);
            assertThat(r.get(2).answer()).isEqualTo(TargetAnswer.NONE);
            assertThat(sentTo(wire, "198.18.10.3")).isEqualTo(3);
            assertThat(r.get(3).category()).isEqualTo(PathCategory.UNREACHABLE);
            assertThat(r.get(3).hopsAnswered()).isEqualTo(6);
            assertThat(sentTo(wire, "198.18.10.4")).isEqualTo(6);

            assertThat(r.get(4).answer()).isEqualTo(TargetAnswer.BLOCKED);
            assertThat(sentTo(wire, "198.18.10.9")).isZero();
            assertThat(prober.blocked.get()).isEqualTo(1);
            // Every probe of a host has its own TTL, 1 upwards, and our MAC'd sequence numbers.
            for (String h : List.of("198.18.10.1", "198.18.10.2", "198.18.10.4")) {
                assertThat(wire.sent().stream().filter(s -> s.dst().equals(h)).map(TcpSegment::ttl))
                        .doesNotHaveDuplicates()
                        .allMatch(t -> t >= 1 && t <= SETTINGS.maxTtl());
            }
            assertThat(prober.inFlight()).isZero();
        }
    }
}
