package org.mpcensus.probe.archive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;
import org.mpcensus.probe.event.CaptureTime;
import org.mpcensus.probe.event.Probe;
import org.mpcensus.probe.event.ProbeReply;
import org.mpcensus.probe.event.Reply;
import org.mpcensus.probe.event.ReplyType;
import org.mpcensus.probe.packet.DecodeError;
import org.mpcensus.probe.packet.IpAddress;
import org.mpcensus.probe.packet.TcpOptionList;

/**
 * mpcensus's own archive format: one {@link ProbeReply} per line as a JSON object, schema version
 * 1. Only what was observed is stored (raw option bytes as hex); decoded fields are recomputed on
 * read, so a better decoder improves old archives. Thread-safe.
 *
 * <pre>
 * {"v":1,"ts":"2026-11-01T12:00:00.123456Z","vantage":"v1","scan":"s1","target":"198.18.0.7",
 *  "port":443,"probed_version":1,"probe_options":"020405b41e040181","type":"SYN_ACK","ttl":63,
 *  "ipid":0,"window":65160,"options":"020405b41e0c0181e356a8f252e41976"}
 * </pre>
 */
public final class ReplyArchiveJson {

    /** The schema version this code writes; it reads every version up to it. */
    public static final int VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    private ReplyArchiveJson() {}

    /** One line of JSON, without the newline. */
    public static String write(ProbeReply r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("v", VERSION);
        n.put("ts", CaptureTime.format(r.captureTimeMicros()));
        n.put("vantage", r.vantage());
        n.put("scan", r.scanId());
        n.put("target", r.probe().target());
        n.put("port", r.probe().port());
        n.put("probed_version", r.probe().mptcpVersion());
        n.put("probe_options", HEX.formatHex(r.probe().options()));
        n.put("type", r.reply().type().name());
        n.put("ttl", r.reply().ttl());
        n.put("ipid", r.reply().ipId());
        n.put("window", r.reply().window());
        n.put("options", HEX.formatHex(r.reply().options()));
        return n.toString();
    }

    /**
     * Parses one line.
     *
     * @throws IllegalArgumentException naming the missing or wrong field
     */
    public static ProbeReply parse(String line) {
        JsonNode n;
        try {
            n = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            String m = e.getOriginalMessage();
            throw new IllegalArgumentException(
                    "not JSON: "
                            + (m == null ? e.getClass().getSimpleName() : m.replace('\n', ' ')));
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        int v = integer(n, "v");
        if (v < 1 || v > VERSION) {
            throw new IllegalArgumentException(
                    "archive schema version " + v + " (this build reads 1.." + VERSION + ")");
        }
        String target = IpAddress.format(IpAddress.parse(text(n, "target")));
        int port = integer(n, "port");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not a port");
        }
        byte[] options = hex(n, "options");
        TcpOptionList decoded = TcpOptionList.decode(options);
        ReplyType type;
        try {
            type = ReplyType.valueOf(text(n, "type"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("type is SYN_ACK or RST, not " + n.get("type"));
        }
        int version = integer(n, "probed_version");
        if (version != 0 && version != 1 && version != Probe.NO_MPTCP) {
            throw new IllegalArgumentException(
                    "probed_version is 0, 1 or "
                            + Probe.NO_MPTCP
                            + " (no MP_CAPABLE), not "
                            + version);
        }
        Probe probe = new Probe(target, port, version, hex(n, "probe_options"));
        Reply reply =
                new Reply(
                        type,
                        integer(n, "ttl"),
                        integer(n, "ipid"),
                        integer(n, "window"),
                        options,
                        decoded.mpCapable(),
                        DecodeError.join(decoded.errors()));
        return new ProbeReply(
                CaptureTime.parse(text(n, "ts")),
                text(n, "vantage"),
                text(n, "scan"),
                probe,
                reply);
    }

    private static JsonNode field(JsonNode n, String name) {
        JsonNode f = n.get(name);
        if (f == null || f.isNull()) {
            throw new IllegalArgumentException("field " + name + " is missing");
        }
        return f;
    }

    private static String text(JsonNode n, String name) {
        JsonNode f = field(n, name);
        if (!f.isTextual()) {
            throw new IllegalArgumentException("field " + name + " is not a string");
        }
        return f.asText();
    }

    private static int integer(JsonNode n, String name) {
        JsonNode f = field(n, name);
        if (!f.canConvertToInt() || !f.isIntegralNumber()) {
            throw new IllegalArgumentException("field " + name + " is not an integer: " + f);
        }
        return f.intValue();
    }

    private static byte[] hex(JsonNode n, String name) {
        String s = text(n, name);
        try {
            return HEX.parseHex(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field " + name + " is not hex: '" + s + "'");
        }
    }
}
