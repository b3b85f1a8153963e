package org.mpcensus.probe.source.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.apache.flink.connector.testutils.source.reader.TestingReaderOutput;
import org.apache.flink.core.io.InputStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.probe.event.ProbeReply;
import org.mpcensus.probe.event.ReplyType;
import org.mpcensus.probe.packet.IpAddress;
import org.mpcensus.probe.packet.MpCapable;
import org.mpcensus.probe.packet.TcpSegment;
import org.mpcensus.probe.source.plan.ProbeSourceOptions;
import org.mpcensus.probe.source.plan.ScanPlan;
import org.mpcensus.probe.source.split.ProbeSplit;
import org.mpcensus.probe.target.CyclicPermutation;
import org.mpcensus.probe.target.TargetSpace;
import org.mpcensus.probe.testbed.ReplyEmulator;
import org.mpcensus.probe.testing.LoopbackWire;
import org.mpcensus.probe.wire.NextHop;

/**
 * The probe reader on a {@link LoopbackWire} (a fake wire: no interface, the test's hosts answer
 * each SYN at once) and Flink's testing reader context: what goes on the wire, what comes out of
 * the reader, and where a restored split resumes.
 *
 * <p>The scan: 198.18.1.0/28 and a hitlist of 2001:db8:1::0 to ::f on ports 80 and 443, v0 and v1
 * (128 probes), with 198.18.1.8/30 and 2001:db8:1::c/126 blocklisted (32 probes). Hosts answer by
 * the last byte of their address: 0 mod 4 stays silent, 1 answers MP_CAPABLE of the probed version
 * with its own key, 2 answers a plain SYN-ACK, 3 resets twice; host 5 also sends a SYN-ACK that
 * acknowledges nothing we sent.
 */
class ProbeSourceReaderTest {
    static final byte[] OWN_MAC = {2, 0, 0, 0, 0, 1};
    static final String GATEWAY_MAC = "02:00:00:00:00:fe";
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir Path dir;

    ScanPlan plan(double rate) throws IOException {
        Path blocklist = dir.resolve("blocklist.txt");
        Files.writeString(blocklist, "198.18.1.8/30\n2001:db8:1::c/126\n");
        Path hitlist = dir.resolve("hitlist.txt");
        StringBuilder v6 = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            v6.append("2001:db8:1::").append(Integer.toHexString(i)).append('\n');
        }
        Files.writeString(hitlist, v6);
        Configuration c = new Configuration();
        c.set(ProbeSourceOptions.HITLIST, hitlist.toString());
        c.set(ProbeSourceOptions.INTERFACE, "loopback-fake");
        c.set(ProbeSourceOptions.SOURCE_IPV4, "198.18.0.1");
        c.set(ProbeSourceOptions.SOURCE_IPV6, "2001:db8::1");
        c.set(ProbeSourceOptions.GATEWAY_MAC, GATEWAY_MAC);
        c.set(ProbeSourceOptions.TARGETS, List.of("198.18.1.0/28"));
        c.set(ProbeSourceOptions.PORTS, List.of(80, 443));
        c.set(ProbeSourceOptions.VERSIONS, List.of(0, 1));
        c.set(ProbeSourceOptions.BLOCKLIST, List.of(blocklist.toString()));
        c.set(ProbeSourceOptions.RATE, rate);
        c.set(ProbeSourceOptions.COOLDOWN, Duration.ofMillis(300));
        c.set(ProbeSourceOptions.REPLY_WINDOW, Duration.ZERO);
        c.set(ProbeSourceOptions.SHARDS, 1);
        c.set(ProbeSourceOptions.STATUS, false);
        return ScanPlan.fromConfiguration(c);
    }

    static ProbeSplit split() {
        return new ProbeSplit("scan-t", 0, 1, 0, 0x1234L, 0x5678L, 99L);
    }

    static int lastByte(String address) {
        byte[] a = IpAddress.parse(address);
        return a[a.length - 1] & 0xff;
    }

    static boolean blocked(byte[] a) {
        int last = a[a.length - 1] & 0xff;
        return last >= 8 && last < 12 && a.length == 4 || last >= 12 && a.length == 16;
    }

    /** The hosts of the class comment. */
    static List<byte[]> hosts(byte[] frame, TcpSegment syn) {
        int last = lastByte(syn.dst());
        int version = syn.mpCapable().version();
        List<byte[]> out = new ArrayList<>();
        switch (last % 4) {
            case 1 -> {
                byte[] o = MpCapable.synOption(0, 0x81, 0x5a5a_1234_9876_0f0fL + last);
                o[2] = (byte) version;
                out.add(ReplyEmulator.answer(frame, syn, TcpSegment.SYN | TcpSegment.ACK, 7, o));
            }
            case 2 ->
                    out.add(
                            ReplyEmulator.answer(
                                    frame,
                                    syn,
                                    TcpSegment.SYN | TcpSegment.ACK,
                                    7,
                                    new byte[] {2, 4, 5, (byte) 0xb4}));
            case 3 -> {
                byte[] rst =
                        ReplyEmulator.answer(
                                frame, syn, TcpSegment.RST | TcpSegment.ACK, 0, new byte[0]);
                out.add(rst);
                out.add(rst.clone());
            }
            default -> {}
        }
        if (last == 5) {
            TcpSegment other =
                    new TcpSegment(
                            syn.ipVersion(),
                            syn.src(),
                            syn.dst(),
                            syn.ttl(),
                            0,
                            syn.sport(),
                            syn.dport(),
                            syn.seq() + 1000,
                            0,
                            TcpSegment.SYN,
                            syn.window(),
                            new byte[0],
                            List.of(),
                            null,
                            List.of(),
                            0);
            out.add(
                    ReplyEmulator.answer(
                            frame, other, TcpSegment.SYN | TcpSegment.ACK, 9, new byte[0]));
        }
        return out;
    }

    /** target|port|version of a probe. */
    static String key(String target, int port, int version) {
        return IpAddress.format(IpAddress.parse(target)) + "|" + port + "|" + version;
    }

    static String key(TcpSegment syn) {
        return key(syn.dst(), syn.dport(), syn.mpCapable().version());
    }

    /** Every probe of the space that the blocklist lets through. */
    static Set<String> allowed(ScanPlan plan) {
        Set<String> out = new HashSet<>();
        TargetSpace space = plan.space();
        for (long i = 0; i < space.size(); i++) {
            TargetSpace.Probe p = space.probe(i);
            if (!blocked(p.address())) {
                out.add(key(IpAddress.format(p.address()), p.port(), p.version()));
            }
        }
        return out;
    }

    /** Polls the reader until it ends or {@code until} holds; fails after {@link #WAIT}. */
    static InputStatus run(
            ProbeSourceReader reader,
            TestingReaderOutput<ProbeReply> out,
            java.util.function.BooleanSupplier until)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            InputStatus s = reader.pollNext(out);
            if (s == InputStatus.END_OF_INPUT || until.getAsBoolean()) {
                return s;
            }
            if (s == InputStatus.NOTHING_AVAILABLE) {
                try {
                    reader.isAvailable().get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // poll again: split completion is noticed on the task thread
                }
            }
        }
        throw new AssertionError("the reader did not get there in " + WAIT);
    }

    ProbeSourceReader reader(TestingReaderContext context, ScanPlan plan, LoopbackWire wire) {
        ProbeSourceReader r =
                new ProbeSourceReader(
                        context,
                        plan,
                        (p, readers, index) ->
                                new ReaderLink(
                                        wire, ReaderVantage.resolve(p, readers, index), OWN_MAC));
        r.start();
        return r;
    }

    @Test
    void everyAllowedProbeGoesOutOnceAndEveryHostThatAnswersIsOneReply() throws Exception {
        ScanPlan plan = plan(100_000);
        LoopbackWire wire = LoopbackWire.answering(ProbeSourceReaderTest::hosts);
        TestingReaderContext context = new TestingReaderContext();
        TestingReaderOutput<ProbeReply> out = new TestingReaderOutput<>();
        try (ProbeSourceReader reader = reader(context, plan, wire)) {
            reader.addSplits(List.of(split()));
            // Once its split is sent the reader asks for another; none comes.
            run(reader, out, () -> context.getNumSplitRequests() > 0);
            reader.notifyNoMoreSplits();
            assertThat(run(reader, out, () -> false)).isEqualTo(InputStatus.END_OF_INPUT);
        }

        // The wire: each allowed probe exactly once, nothing to a blocked address, every frame
        // from our MAC to the gateway, from our address of the family, from the reader's ports.
        List<TcpSegment> sent = wire.sent();
        List<String> sentKeys = sent.stream().map(ProbeSourceReaderTest::key).toList();
        assertThat(sentKeys).doesNotHaveDuplicates();
        assertThat(Set.copyOf(sentKeys)).isEqualTo(allowed(plan)).hasSize(96);
        assertThat(sent).noneMatch(s -> blocked(IpAddress.parse(s.dst())));
        assertThat(sent)
                .allMatch(s -> s.src().equals(s.ipVersion() == 4 ? "198.18.0.1" : "2001:db8::1"));
        ReaderVantage vantage = ReaderVantage.resolve(plan, 1, 0);
        assertThat(sent)
                .allMatch(
                        s ->
                                s.sport() >= vantage.firstPort()
                                        && s.sport() < vantage.firstPort() + vantage.portSlice());
        for (byte[] f : wire.sentFrames()) {
            assertThat(Arrays.copyOfRange(f, 0, 6)).isEqualTo(NextHop.parseMac(GATEWAY_MAC));
            assertThat(Arrays.copyOfRange(f, 6, 12)).isEqualTo(OWN_MAC);
        }

        // The reader: one reply per probe whose host answers, as the host answered.
        List<ProbeReply> replies = out.getEmittedRecords();
        Set<String> expected = new HashSet<>();
        for (String k : sentKeys) {
            if (lastByte(k.substring(0, k.indexOf('|'))) % 4 != 0) {
                expected.add(k);
            }
        }
        List<String> got =
                replies.stream()
                        .map(
                                r ->
                                        key(
                                                r.probe().target(),
                                                r.probe().port(),
                                                r.probe().mptcpVersion()))
                        .toList();
        assertThat(got).doesNotHaveDuplicates();
        assertThat(Set.copyOf(got)).isEqualTo(expected);
        for (ProbeReply r : replies) {
            int last = lastByte(r.probe().target());
            assertThat(r.scanId()).isEqualTo("scan-t");
            assertThat(r.reply().type())
                    .isEqualTo(last % 4 == 3 ? ReplyType.RST : ReplyType.SYN_ACK);
            if (last % 4 == 1) {
                assertThat(r.reply().mpCapable()).isNotNull();
                assertThat(r.reply().mpCapable().version()).isEqualTo(r.probe().mptcpVersion());
            } else {
                assertThat(r.reply().mpCapable()).isNull();
            }
        }
    }

    @Test
    void aRestoredSplitResumesWhereItsSnapshotSaysAndSkipsNothing() throws Exception {
        // 1,000 probes/s: the sender's position is sampled every 10 ms while it sends.
        ScanPlan plan = plan(1_000);
        LoopbackWire first = new LoopbackWire(ProbeSourceReaderTest::hosts, 40, false);
        List<ProbeSplit> snapshot;
        try (ProbeSourceReader reader = reader(new TestingReaderContext(), plan, first)) {
            reader.addSplits(List.of(split()));
            first.awaitFull();
            snapshot = reader.snapshotState(1);
        }
        assertThat(snapshot).hasSize(1);
        long steps = snapshot.get(0).steps();
        assertThat(steps).isPositive();

        LoopbackWire second = LoopbackWire.answering(ProbeSourceReaderTest::hosts);
        TestingReaderOutput<ProbeReply> out = new TestingReaderOutput<>();
        try (ProbeSourceReader reader = reader(new TestingReaderContext(), plan, second)) {
            reader.addSplits(snapshot);
            reader.notifyNoMoreSplits();
            assertThat(run(reader, out, () -> false)).isEqualTo(InputStatus.END_OF_INPUT);
        }

        // The probes of the first `steps` positions of the walk were done; all others are sent
        // again, once.
        ReaderVantage vantage = ReaderVantage.resolve(plan, 1, 0);
        ScanState scan = ScanState.of(split(), plan, vantage.firstPort(), vantage.portSlice());
        CyclicPermutation.Cursor cursor = scan.permutation().cursor(0, 1, 0);
        Set<String> done = new HashSet<>();
        long index;
        while (cursor.steps() < steps && (index = cursor.next()) >= 0) {
            TargetSpace.Probe p = plan.space().probe(index);
            if (!blocked(p.address())) {
                done.add(key(IpAddress.format(p.address()), p.port(), p.version()));
            }
        }
        List<String> resent = second.sent().stream().map(ProbeSourceReaderTest::key).toList();
        Set<String> remaining = new HashSet<>(allowed(plan));
        remaining.removeAll(done);
        assertThat(resent).doesNotHaveDuplicates();
        assertThat(Set.copyOf(resent)).isEqualTo(remaining);
        Set<String> firstSent = new HashSet<>();
        first.sent().forEach(s -> firstSent.add(key(s)));
        assertThat(firstSent).containsAll(done);
        Set<String> union = new HashSet<>(firstSent);
        union.addAll(resent);
        assertThat(union).isEqualTo(allowed(plan));
    }

    @Test
    void aWireThatFailsFailsTheReaderWithTheCause() throws Exception {
        ScanPlan plan = plan(100_000);
        LoopbackWire wire = new LoopbackWire(ProbeSourceReaderTest::hosts, Integer.MAX_VALUE, true);
        try (ProbeSourceReader reader = reader(new TestingReaderContext(), plan, wire)) {
            reader.addSplits(List.of(split()));
            TestingReaderOutput<ProbeReply> out = new TestingReaderOutput<>();
            assertThatThrownBy(() -> run(reader, out, () -> false))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("Network is down");
        }
    }
}
