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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mpcensus.probe.archive.CaptureReader;
import org.mpcensus.probe.archive.CapturedFrame;
import org.mpcensus.probe.event.CaptureTime;
import org.mpcensus.probe.testing.SharedData;

/**
 * Decodes every real capture of {@code shared/data/{ptcpdump,tcpdump}} and compares it, segment by
 * segment, with the text decodes that tcpdump and ptcpdump ship beside them in their own test
 * suites.
 */
class TcpdumpExpectedDecodesTest {

    private static final Pattern ADDRESSES =
            Pattern.compile("IP6? (\\S+)\\.(\\d+) > (\\S+)\\.(\\d+): Flags \\[([^\\]]*)\\]");
    private static final Pattern CAPABLE =
            Pattern.compile(
                    "mptcp (\\d+) capable v(\\d) flags \\[([A-H]*)\\]( csum)?"
                            + "(?: \\{0x([0-9a-f]+)(?:,0x([0-9a-f]+))?(?:,data_len=(\\d+))?\\})?");
    private static final Pattern STAMP =
            Pattern.compile(
                    "^\\s*(?:\\d+\\s+)?(\\d{4}-\\d\\d-\\d\\d) (\\d\\d:\\d\\d:\\d\\d\\.\\d{6})");

    record Expected(
            String line,
            String src,
            int sport,
            String dst,
            int dport,
            String flags,
            String options) {}

    @ParameterizedTest
    @CsvSource({
        "ptcpdump/mptcp.pcap, ptcpdump/mptcp.pcap.out.txt, 14",
        "ptcpdump/tfo.pcap, ptcpdump/tfo.pcap.out.txt, 4",
        "tcpdump/mptcp-fclose.pcap, tcpdump/mptcp-fclose.out, 9",
        "tcpdump/mptcp-dss-oobr.pcap, tcpdump/mptcp-dss-oobr.out, 1",
        "tcpdump/mptcp-aa-echo.pcap, tcpdump/mptcp-aa-echo.out, 2",
    })
    void decodeAgreesWithTheShippedExpectedOutput(String capture, String expected, int segments)
            throws IOException {
        List<Expected> want = parseExpected(SharedData.file(expected));
        List<CapturedFrame> frames = new ArrayList<>();
        List<TcpSegment> got = new ArrayList<>();
        try (InputStream in = Files.newInputStream(SharedData.file(capture));
                CaptureReader reader = new CaptureReader(in)) {
            CapturedFrame f;
            while ((f = reader.next()) != null) {
                PacketDecoder.Result r = PacketDecoder.decodeFrame(f.linkType(), f.data());
                if (r.segment() != null) {
                    got.add(r.segment());
                    frames.add(f);
                }
            }
        }
        assertThat(want).hasSize(segments);
        assertThat(got).hasSize(segments);
        for (int i = 0; i < segments; i++) {
            Expected e = want.get(i);
            TcpSegment s = got.get(i);
            String where = capture + " segment " + (i + 1) + ": " + e.line();
            assertThat(s.src()).as(where).isEqualTo(e.src());
            assertThat(s.dst()).as(where).isEqualTo(e.dst());
            assertThat(s.sport()).as(where).isEqualTo(e.sport());
            assertThat(s.dport()).as(where).isEqualTo(e.dport());
            assertThat(s.flagLetters()).as(where).isEqualTo(e.flags());
            List<String> names = s.options().stream().map(TcpOption::name).toList();
            List<String> wantNames = optionNames(e.options());
            if (e.options().contains("[bad opt]")) {
                // tcpdump stops printing at a bad option; we go on where its length allows.
                assertThat(names).as(where).startsWith(wantNames.toArray(String[]::new));
            } else {
                assertThat(names).as(where).isEqualTo(wantNames);
            }
            Matcher m = STAMP.matcher(e.line());
            if (m.find()) {
                // tcpdump's -tttt output is in UTC for these files (TZ=GMT0).
                assertThat(CaptureTime.format(frames.get(i).timestampNanos() / 1000))
                        .as(where)
                        .isEqualTo(m.group(1) + "T" + m.group(2) + "Z");
            }
            assertMpCapable(where, e.options(), s);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "ptcpdump/mptcp.pcap",
        "ptcpdump/tfo.pcap",
        "tcpdump/mptcp-fclose.pcap",
        "tcpdump/mptcp-dss-oobr.pcap",
        "tcpdump/mptcp-aa-echo.pcap",
    })
    void atFlowDepthOnlyHandshakesKeepTheirOptionsAndEverythingElseIsTheSame(String capture)
            throws IOException {
        int handshakes = 0;
        int others = 0;
        try (InputStream in = Files.newInputStream(SharedData.file(capture));
                CaptureReader reader = new CaptureReader(in)) {
            CapturedFrame f;
            while ((f = reader.next()) != null) {
                TcpSegment full = PacketDecoder.decodeFrame(f.linkType(), f.data()).segment();
                TcpSegment flow =
                        PacketDecoder.decodeFrame(f.linkType(), f.data(), PacketDecoder.Depth.FLOW)
                                .segment();
                if (full == null) {
                    assertThat(flow).isNull();
                    continue;
                }
                assertThat(flow.src()).isEqualTo(full.src());
                assertThat(flow.dst()).isEqualTo(full.dst());
                assertThat(flow.sport()).isEqualTo(full.sport());
                assertThat(flow.dport()).isEqualTo(full.dport());
                assertThat(flow.seq()).isEqualTo(full.seq());
                assertThat(flow.flags()).isEqualTo(full.flags());
                assertThat(flow.payloadLength()).isEqualTo(full.payloadLength());
                if (full.hasFlag(TcpSegment.SYN)) {
                    handshakes++;
                    assertThat(flow.options()).isEqualTo(full.options());
                    assertThat(flow.mpCapable()).isEqualTo(full.mpCapable());
                } else {
                    others++;
                    assertThat(flow.options()).isEmpty();
                    assertThat(flow.optionBytes()).isEmpty();
                }
            }
        }
        assertThat(handshakes + others).isPositive();
    }

    private static void assertMpCapable(String where, String options, TcpSegment s) {
        Matcher m = CAPABLE.matcher(options);
        if (!m.find()) {
            assertThat(s.mpCapable()).as(where).isNull();
            return;
        }
        MpCapable mp = s.mpCapable();
        assertThat(mp).as(where).isNotNull();
        assertThat(mp.length()).as(where).isEqualTo(Integer.parseInt(m.group(1)));
        assertThat(mp.version()).as(where).isEqualTo(Integer.parseInt(m.group(2)));
        assertThat(flagLetters(mp.flags())).as(where).isEqualTo(m.group(3));
        assertThat(mp.senderKeyHex()).as(where).isEqualTo(pad(m.group(5)));
        assertThat(mp.receiverKeyHex()).as(where).isEqualTo(pad(m.group(6)));
        assertThat(mp.dataLen())
                .as(where)
                .isEqualTo(m.group(7) == null ? null : Integer.valueOf(m.group(7)));
    }

    @org.junit.jupiter.api.Test
    void truncatedSynWithThreeByteMptcpOptionReportsTheMalformedOption() throws IOException {
        try (InputStream in = Files.newInputStream(SharedData.file("tcpdump/mptcp-dss-oobr.pcap"));
                CaptureReader reader = new CaptureReader(in)) {
            CapturedFrame f = reader.next();
            TcpSegment s = PacketDecoder.decodeFrame(f.linkType(), f.data()).segment();
            assertThat(s.errors())
                    .extracting(DecodeError::kind)
                    .contains(DecodeError.Kind.MALFORMED_MPTCP_OPTION);
            assertThat(s.errorText()).contains("mptcp dss option with length 3");
            assertThat(reader.next()).isNull();
        }
    }

    /** A..H as tcpdump prints MP_CAPABLE flags (A is the top bit). */
    private static String flagLetters(int flags) {
        StringBuilder sb = new StringBuilder();
        for (int bit = 7; bit >= 0; bit--) {
            if ((flags & (1 << bit)) != 0) {
                sb.append((char) ('A' + (7 - bit)));
            }
        }
        return sb.toString();
    }

    private static String pad(String hex) {
        return hex == null ? null : "0".repeat(16 - hex.length()) + hex;
    }

    /** The first word of each top-level, comma-separated option of tcpdump's "options [...]". */
    static List<String> optionNames(String options) {
        List<String> names = new ArrayList<>();
        int depth = 0;
        StringBuilder cur = new StringBuilder();
        for (char c : options.toCharArray()) {
            if (c == '[' || c == '{') {
                depth++;
            } else if (c == ']' || c == '}') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                names.add(firstWord(cur.toString()));
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (!cur.toString().isBlank()) {
            names.add(firstWord(cur.toString()));
        }
        return names;
    }

    private static String firstWord(String s) {
        String t = s.trim();
        int end = 0;
        while (end < t.length() && Character.isLetterOrDigit(t.charAt(end))) {
            end++;
        }
        return t.substring(0, end);
    }

    /** The TCP lines of a tcpdump text decode; continuation lines (tcpdump -v) are joined first. */
    static List<Expected> parseExpected(Path file) throws IOException {
        List<String> joined = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("    ") && !line.trim().matches("^\\d+ .*") && !joined.isEmpty()) {
                joined.set(joined.size() - 1, joined.get(joined.size() - 1) + " " + line.trim());
            } else {
                joined.add(line);
            }
        }
        List<Expected> out = new ArrayList<>();
        for (String line : joined) {
            String flat = line.replaceFirst("IP \\(tos .*?length \\d+\\) ", "IP ");
            Matcher m = ADDRESSES.matcher(flat);
            if (!m.find()) {
                continue;
            }
            int open = flat.indexOf("options [");
            String options = "";
            if (open >= 0) {
                int depth = 0;
                int i = open + "options ".length();
                int start = i + 1;
                for (; i < flat.length(); i++) {
                    char c = flat.charAt(i);
                    if (c == '[') {
                        depth++;
                    } else if (c == ']' && --depth == 0) {
                        break;
                    }
                }
                options = flat.substring(start, Math.min(i, flat.length()));
            }
            out.add(
                    new Expected(
                            line,
                            m.group(1),
                            Integer.parseInt(m.group(2)),
                            m.group(3),
                            Integer.parseInt(m.group(4)),
                            m.group(5),
                            options));
        }
        return out;
    }
}
