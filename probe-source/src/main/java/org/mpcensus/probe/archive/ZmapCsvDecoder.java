package org.mpcensus.probe.archive;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.mpcensus.probe.event.CaptureTime;
import org.mpcensus.probe.event.CensusInput;
import org.mpcensus.probe.event.DeadLetter;
import org.mpcensus.probe.event.Probe;
import org.mpcensus.probe.event.ProbeReply;
import org.mpcensus.probe.event.Reply;
import org.mpcensus.probe.event.ReplyType;
import org.mpcensus.probe.packet.Bytes;
import org.mpcensus.probe.packet.DecodeError;
import org.mpcensus.probe.packet.IpAddress;
import org.mpcensus.probe.packet.MpCapable;
import org.mpcensus.probe.packet.SynProbe;
import org.mpcensus.probe.packet.TcpOptionList;

/**
 * Decodes the CSV output of the ZMap fork used in published MPTCP adoption studies. Columns come
 * from the header row (any subset, any order); {@code #} lines are comments. The SYN-ACK's options
 * are decoded from {@code optionshex} with our codec: the fork's {@code mptcpkey} column is never
 * trusted. Optional columns: {@code timestamp_ts}/{@code timestamp_us} or {@code timestamp_str}
 * (capture time), {@code probed_version} and {@code probe_key}.
 */
public final class ZmapCsvDecoder extends LineDecoder {

    private final ArchiveSettings settings;
    private Map<String, Integer> columns;

    /** A column of the header: its name and index (-1 when the header lacks it). */
    private record Column(String name, int index) {}

    private Column saddrColumn;
    private Column probedVersionColumn;
    private Column probeKeyColumn;
    private Column optionshexColumn;
    private Column ttlColumn;
    private Column ipidColumn;
    private Column windowColumn;
    private Column sportColumn;
    private Column timestampTsColumn;
    private Column timestampUsColumn;
    private Column timestampStrColumn;
    private Column successColumn;
    private Column classificationColumn;
    private int width;
    private String headerProblem;
    private final String scanId;
    private byte[] lastProbeOptions;
    private int lastProbeVersion;
    private long lastProbeKey;

    public ZmapCsvDecoder(InputStream in, String source, ArchiveSettings settings) {
        this(in, source, settings, 0, null);
    }

    /**
     * A decoder of the lines of a file from byte {@code firstByte} on ({@link LineRange}).
     *
     * @param header the file's header row when it comes before {@code firstByte}, or null
     */
    ZmapCsvDecoder(
            InputStream in,
            String source,
            ArchiveSettings settings,
            long firstByte,
            String header) {
        super(in, source, settings.maxLineBytes(), firstByte);
        this.settings = settings;
        this.scanId = settings.scanIdFor(source);
        if (header != null) {
            readHeader(header);
        }
    }

    /**
     * The header row of a file if it starts before byte {@code before}, else null: what a decoder
     * of a later range needs. Read as {@link #next} reads it (comments, blank and cut lines are no
     * header).
     */
    static String headerBefore(InputStream file, long before, int maxLineBytes) throws IOException {
        try (LineReader r = new LineReader(file, maxLineBytes)) {
            while (r.position() < before) {
                LineReader.Line l = r.next();
                if (l == null) {
                    return null;
                }
                if (!l.cut() && !l.text().isBlank() && !l.text().startsWith("#")) {
                    return l.text();
                }
            }
            return null;
        }
    }

    /**
     * Whether a ZMap CSV file's header row (within its first 64 KiB) names a capture-time column,
     * {@code timestamp_ts} or {@code timestamp_str}; true when there is no readable header there
     * (the file's rows then become dead letters that say why). Closes the stream.
     */
    public static boolean headerNamesCaptureTime(InputStream file, int maxLineBytes)
            throws IOException {
        String header = headerBefore(file, 64 * 1024, maxLineBytes);
        List<String> fields = header == null ? null : CsvLine.split(header);
        return fields == null
                || fields.stream()
                        .map(String::trim)
                        .anyMatch(f -> f.equals("timestamp_ts") || f.equals("timestamp_str"));
    }

    @Override
    CensusInput decode(String text) {
        if (text.startsWith("#")) {
            return null;
        }
        if (columns == null && headerProblem == null) {
            readHeader(text);
            return headerProblem != null ? dead(text, headerProblem) : null;
        }
        if (headerProblem != null) {
            return dead(text, "no usable header row in this file: " + headerProblem);
        }
        return decodeRow(text);
    }

    private void readHeader(String text) {
        Map<String, Integer> names = new HashMap<>();
        List<String> fields = CsvLine.split(text);
        if (fields == null) {
            headerProblem = "header row has an unterminated quoted field";
            return;
        }
        int n = fields.size();
        while (n > 1 && fields.get(n - 1).isBlank()) {
            n--; // a trailing comma names no column
        }
        for (int i = 0; i < n; i++) {
            String name = fields.get(i).trim();
            if (name.isEmpty()) {
                continue;
            }
            if (names.put(name, i) != null) {
                headerProblem = "header row names column '" + name + "' twice";
                return;
            }
        }
        if (!names.containsKey("saddr")) {
            headerProblem =
                    "header row lacks the saddr column (expected ZMap output-fields, e.g."
                            + " saddr,sport,optionshex,success)";
            return;
        }
        columns = names;
        width = n;
        saddrColumn = column("saddr");
        probedVersionColumn = column("probed_version");
        probeKeyColumn = column("probe_key");
        optionshexColumn = column("optionshex");
        ttlColumn = column("ttl");
        ipidColumn = column("ipid");
        windowColumn = column("window");
        sportColumn = column("sport");
        timestampTsColumn = column("timestamp_ts");
        timestampUsColumn = column("timestamp_us");
        timestampStrColumn = column("timestamp_str");
        successColumn = column("success");
        classificationColumn = column("classification");
    }

    private Column column(String name) {
        Integer i = columns.get(name);
        return new Column(name, i == null ? -1 : i);
    }

    private CensusInput decodeRow(String text) {
        List<String> fields = CsvLine.split(text);
        if (fields == null) {
            return dead(text, "unterminated quoted field");
        }
        int n = fields.size();
        while (n > width && fields.get(n - 1).isBlank()) {
            n--;
        }
        if (n != width) {
            return dead(text, "row has " + n + " fields, the header names " + width);
        }
        try {
            String target = IpAddress.canonical(field(fields, saddrColumn));
            int port = portOf(fields);
            long time = timeOf(fields);
            int version = intOr(fields, probedVersionColumn, settings.probedVersion());
            if (version != 0 && version != 1) {
                throw new IllegalArgumentException("probed_version is 0 or 1, not " + version);
            }
            String keyText = field(fields, probeKeyColumn);
            long key =
                    keyText == null || keyText.isEmpty()
                            ? settings.probeKey()
                            : Bytes.parseHex64(keyText);
            byte[] options = hexOf(field(fields, optionshexColumn));
            TcpOptionList decoded = TcpOptionList.decode(options);
            Reply reply =
                    new Reply(
                            replyTypeOf(fields),
                            intOr(fields, ttlColumn, -1),
                            intOr(fields, ipidColumn, -1),
                            intOr(fields, windowColumn, -1),
                            options,
                            decoded.mpCapable(),
                            DecodeError.join(decoded.errors()));
            Probe probe = new Probe(target, port, version, probeOptions(version, key));
            return CensusInput.of(new ProbeReply(time, settings.vantage(), scanId, probe, reply));
        } catch (IllegalArgumentException | ArithmeticException e) {
            return dead(text, DeadLetter.reasonOf(e));
        }
    }

    /** The options of the probe of a row: those of the row before when version and key match. */
    private byte[] probeOptions(int version, long key) {
        if (lastProbeOptions == null || version != lastProbeVersion || key != lastProbeKey) {
            lastProbeOptions = SynProbe.options(version, MpCapable.PROBE_FLAGS, key);
            lastProbeVersion = version;
            lastProbeKey = key;
        }
        return lastProbeOptions;
    }

    private int portOf(List<String> fields) {
        String sport = field(fields, sportColumn);
        if (sport == null || sport.isEmpty()) {
            if (settings.port() == null) {
                throw new IllegalArgumentException(
                        "no sport column and no probed port given (mpcensus.replay.port)");
            }
            return settings.port();
        }
        int port = parseInt("sport", sport);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("sport " + port + " is not a port (0..65535)");
        }
        return port;
    }

    private long timeOf(List<String> fields) {
        String ts = field(fields, timestampTsColumn);
        if (ts != null && !ts.isEmpty()) {
            String us = field(fields, timestampUsColumn);
            return CaptureTime.ofSeconds(
                    parseLong("timestamp_ts", ts),
                    us == null || us.isEmpty() ? 0 : parseLong("timestamp_us", us));
        }
        String str = field(fields, timestampStrColumn);
        if (str != null && !str.isEmpty()) {
            return CaptureTime.parse(str);
        }
        if (settings.scanTimeMicros() == null) {
            throw new IllegalArgumentException(
                    "no capture time: no timestamp_ts/timestamp_str column and no scan time given"
                            + " (mpcensus.replay.scan-time)");
        }
        return settings.scanTimeMicros();
    }

    private ReplyType replyTypeOf(List<String> fields) {
        String success = field(fields, successColumn);
        if (success != null && !success.isEmpty()) {
            return switch (success.trim()) {
                case "1" -> ReplyType.SYN_ACK;
                case "0" -> ReplyType.RST;
                default ->
                        throw new IllegalArgumentException(
                                "success is 1 (SYN-ACK) or 0 (RST), not '" + success + "'");
            };
        }
        String classification = field(fields, classificationColumn);
        if (classification != null && !classification.isEmpty()) {
            return switch (classification.trim()) {
                case "synack" -> ReplyType.SYN_ACK;
                case "rst" -> ReplyType.RST;
                default ->
                        throw new IllegalArgumentException(
                                "classification is synack or rst, not '" + classification + "'");
            };
        }
        return ReplyType.SYN_ACK;
    }

    private static byte[] hexOf(String hex) {
        if (hex == null || hex.isEmpty() || hex.equals("--")) {
            return new byte[0];
        }
        String digits = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
        if (digits.length() % 2 != 0) {
            throw new IllegalArgumentException(
                    "optionshex has an odd number of hex digits (" + digits.length() + ")");
        }
        if (digits.length() > 80) {
            throw new IllegalArgumentException(
                    "optionshex holds " + digits.length() / 2 + " bytes (TCP allows 40)");
        }
        try {
            return HexFormat.of().parseHex(digits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("optionshex is not hex: '" + hex + "'");
        }
    }

    private int intOr(List<String> fields, Column c, int fallback) {
        String v = field(fields, c);
        return v == null || v.isEmpty() ? fallback : parseInt(c.name(), v);
    }

    private static int parseInt(String name, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a number: '" + v + "'");
        }
    }

    private static long parseLong(String name, String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a number: '" + v + "'");
        }
    }

    private static String field(List<String> fields, Column c) {
        return c.index() < 0 ? null : fields.get(c.index());
    }
}
