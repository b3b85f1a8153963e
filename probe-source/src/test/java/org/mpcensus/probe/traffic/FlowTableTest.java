package org.mpcensus.probe.traffic;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mpcensus.probe.archive.CaptureReader;
import org.mpcensus.probe.archive.CapturedFrame;
import org.mpcensus.probe.packet.PacketDecoder;
import org.mpcensus.probe.packet.TcpSegment;
import org.mpcensus.probe.testing.SharedData;

/**
 * Flows of the real captures of {@code shared/data} against what {@code tshark -q -z conv,tcp}
 * reports for the same files: frames and bytes per direction, per conversation. The reports are
 * checked in ({@code captures/tshark/}, made by TShark 4.0.17 with {@code tshark -r FILE -q -z
 * conv,tcp}); when tshark is installed the test runs it too and requires the same report. Above
 * 9,999 bytes tshark prints kB, rounded: the flow's bytes are compared rounded the same way.
 */
class FlowTableTest {
    static final Path REPORTS = Path.of("src/test/resources/captures/tshark");

    /**
     * One conversation line of tshark: A, B, frames and bytes B to A, then A to B. tshark prints
     * bytes in kB (or MB) above 9,999, rounded: a {@code unit} is the unit its bytes are in.
     */
    record Conversation(
            String a,
            String b,
            long framesBa,
            long bytesBa,
            long unitBa,
            long framesAb,
            long bytesAb,
            long unitAb) {}

    static final Pattern LINE =
            Pattern.compile(
                    "^(\\S+)\\s+<->\\s+(\\S+)\\s+(\\d+) (\\d+) (bytes|kB|MB)\\s+(\\d+) (\\d+)"
                            + " (bytes|kB|MB)");

    static long unit(String u) {
        return switch (u) {
            case "kB" -> 1000;
            case "MB" -> 1_000_000;
            default -> 1;
        };
    }

    static List<Conversation> parse(List<String> lines) {
        List<Conversation> out = new ArrayList<>();
        for (String l : lines) {
            Matcher m = LINE.matcher(l.strip());
            if (m.find()) {
                out.add(
                        new Conversation(
                                m.group(1),
                                m.group(2),
                                Long.parseLong(m.group(3)),
                                Long.parseLong(m.group(4)),
                                unit(m.group(5)),
                                Long.parseLong(m.group(6)),
                                Long.parseLong(m.group(7)),
                                unit(m.group(8))));
            }
        }
        return out;
    }

    /** When tshark is installed: its report of the capture is the checked-in one. */
    static void checkTsharkAgrees(Path file, List<Conversation> want) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/tshark"))) {
            return;
        }
        Process p =
                new ProcessBuilder("tshark", "-r", file.toString(), "-q", "-z", "conv,tcp")
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        p.waitFor();
        assertThat(parse(lines)).as("tshark now agrees with the checked-in report").isEqualTo(want);
    }

    /** Bytes in tshark's unit, rounded as it rounds (to nearest). */
    static long rounded(long bytes, long unit) {
        return unit == 1 ? bytes : Math.round((double) bytes / unit);
    }

    static List<FlowRecord> flows(Path capture, long idleMicros) throws IOException {
        List<FlowRecord> out = new ArrayList<>();
        FlowTable table = new FlowTable(capture.getFileName().toString(), idleMicros, out::add);
        try (InputStream in = Files.newInputStream(capture);
                CaptureReader reader = new CaptureReader(in)) {
            CapturedFrame f;
            while ((f = reader.next()) != null) {
                TcpSegment s = PacketDecoder.decodeFrame(f.linkType(), f.data()).segment();
                // tshark leaves a frame its dissector calls malformed out of its conversations;
                // mpcensus counts it (it was on the wire), so the comparison leaves it out too.
                if (s != null && s.errors().isEmpty()) {
                    table.add(f.timestampNanos() / 1000, f.originalLength(), s);
                }
            }
        }
        table.finish();
        return out;
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ptcpdump/mptcp.pcap",
                "ptcpdump/tfo.pcap",
                "tcpdump/mptcp-aa-echo.pcap",
                "tcpdump/mptcp-dss-oobr.pcap",
                "tcpdump/mptcp-fclose.pcap",
                "kernel/mptcp-subflows.pcap"
            })
    void flowsHaveTheFramesAndBytesTsharkCountsPerConversation(String capture) throws Exception {
        Path file =
                capture.startsWith("kernel/")
                        ? Path.of("src/test/resources/captures").resolve(capture)
                        : SharedData.file(capture);
        Path report = REPORTS.resolve(capture.replace('/', '-') + ".conv.txt");
        List<Conversation> want = parse(Files.readAllLines(report));
        checkTsharkAgrees(file, want);
        List<FlowRecord> got = flows(file, 60_000_000L);
        assertThat(got).hasSameSizeAs(want);
        for (Conversation c : want) {
            FlowRecord f =
                    got.stream()
                            .filter(
                                    x ->
                                            List.of(c.a(), c.b())
                                                    .containsAll(
                                                            List.of(
                                                                    x.client()
                                                                            + ":"
                                                                            + x.clientPort(),
                                                                    x.server()
                                                                            + ":"
                                                                            + x.serverPort())))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError("no flow for " + c));
            boolean aIsClient = c.a().equals(f.client() + ":" + f.clientPort());
            assertThat(aIsClient ? f.packetsUp() : f.packetsDown())
                    .as(c.toString())
                    .isEqualTo(c.framesAb());
            assertThat(rounded(aIsClient ? f.bytesUp() : f.bytesDown(), c.unitAb()))
                    .as(c.toString())
                    .isEqualTo(c.bytesAb());
            assertThat(aIsClient ? f.packetsDown() : f.packetsUp())
                    .as(c.toString())
                    .isEqualTo(c.framesBa());
            assertThat(rounded(aIsClient ? f.bytesDown() : f.bytesUp(), c.unitBa()))
                    .as(c.toString())
                    .isEqualTo(c.bytesBa());
        }
    }

    @Test
    void theMptcpCaptureIsOneMptcpConnectionOfItsVersion() throws Exception {
        List<FlowRecord> got = flows(SharedData.file("ptcpdump/mptcp.pcap"), 60_000_000L);
        assertThat(got).hasSize(1);
        FlowRecord f = got.get(0);
        assertThat(f.mptcp()).isTrue();
        assertThat(f.mptcpVersion()).isEqualTo(1);
        assertThat(f.subflow()).isFalse();
        assertThat(f.serverToken()).isNotNegative();
        assertThat(f.client()).isEqualTo("127.0.0.1");
        assertThat(f.serverPort()).isEqualTo(12345);
        // ptcpdump's TFO capture is an MPTCP connection too, with data in its SYN.
        List<FlowRecord> tfo = flows(SharedData.file("ptcpdump/tfo.pcap"), 60_000_000L);
        assertThat(tfo).singleElement().matches(x -> x.mptcpVersion() == 1 && x.bytesUp() > 4000);
    }

    /**
     * Writes the capture of {@code synthetic-syn-after-rst.pcap.conv.txt}: a SYN, the server's RST,
     * the same SYN again, the handshake and a FIN, then a SYN with a new initial sequence number.
     */
    static Path synAfterRst(Path file) throws IOException {
        String c = "198.18.1.1";
        String s = "198.18.2.2";
        int syn = TcpSegment.SYN;
        int ack = TcpSegment.ACK;
        Object[][] packets = {
            {0L, c, 40000, s, 443, 7000L, 0L, syn},
            {1_000L, s, 443, c, 40000, 0L, 7001L, TcpSegment.RST | ack},
            {1_000_000L, c, 40000, s, 443, 7000L, 0L, syn},
            {1_001_000L, s, 443, c, 40000, 9000L, 7001L, syn | ack},
            {1_002_000L, c, 40000, s, 443, 7001L, 9001L, ack},
            {1_003_000L, c, 40000, s, 443, 7001L, 9001L, TcpSegment.FIN | ack},
            {2_000_000L, c, 40000, s, 443, 12000L, 0L, syn}
        };
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.nio.ByteBuffer header =
                java.nio.ByteBuffer.allocate(24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        header.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
        header.putInt(65535).putInt(101);
        out.write(header.array());
        for (Object[] p : packets) {
            byte[] frame =
                    org.mpcensus.probe.packet.TcpEncoder.encode(
                            org.mpcensus.probe.packet.IpAddress.parse((String) p[1]),
                            org.mpcensus.probe.packet.IpAddress.parse((String) p[3]),
                            64,
                            (int) p[2],
                            (int) p[4],
                            (long) p[5],
                            (long) p[6],
                            (int) p[7],
                            65535,
                            new byte[0]);
            long micros = 1_765_000_000_000_000L + (long) p[0];
            java.nio.ByteBuffer record =
                    java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            record.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000));
            record.putInt(frame.length).putInt(frame.length);
            out.write(record.array());
            out.write(frame);
        }
        return Files.write(file, out.toByteArray());
    }

    /**
     * A SYN sent again after the server's RST, with the same initial sequence number, stays in its
     * connection, and a SYN with a new one starts the next: the flows are TShark's conversations of
     * the capture, in order, frame for frame.
     */
    @Test
    void aSynSentAgainAfterAResetIsOneConversationAsTsharkSays(
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = synAfterRst(dir.resolve("syn-after-rst.pcap"));
        List<Conversation> want =
                parse(Files.readAllLines(REPORTS.resolve("synthetic-syn-after-rst.pcap.conv.txt")));
        checkTsharkAgrees(file, want);
        List<FlowRecord> got = flows(file, 60_000_000L);
        assertThat(want).hasSize(2);
        assertThat(got).hasSize(2);
        for (int i = 0; i < want.size(); i++) {
            // A is the client (198.18.1.1:40000) in both conversations.
            assertThat(got.get(i).packetsUp()).isEqualTo(want.get(i).framesAb());
            assertThat(got.get(i).packetsDown()).isEqualTo(want.get(i).framesBa());
            assertThat(got.get(i).bytesUp()).isEqualTo(want.get(i).bytesAb());
        }
    }
}
