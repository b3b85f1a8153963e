package org.mpcensus.probe.path;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.mpcensus.probe.packet.MpCapable;
import org.mpcensus.probe.packet.TcpOption;
import org.mpcensus.probe.packet.TcpOptionKind;
import org.mpcensus.probe.packet.TcpOptionList;
import org.mpcensus.probe.packet.TcpSegment;

/**
 * What a router's quote says happened to our probe on the way to it, in tracebox's vocabulary:
 * options removed or added, {@code MP_CAPABLE} version, flags or key changed, MSS changed, other
 * options changed, TCP window or flags changed. Compares the quoted TCP header with the probe that
 * was sent (its options are fixed per version: {@link org.mpcensus.probe.packet.SynProbe}).
 */
public final class QuoteDiff {
    public static final String MP_CAPABLE_REMOVED = "MP_CAPABLE removed";
    public static final String MP_CAPABLE_ADDED = "MP_CAPABLE added";
    public static final String MP_CAPABLE_VERSION = "MP_CAPABLE version changed";
    public static final String MP_CAPABLE_FLAGS = "MP_CAPABLE flags changed";
    public static final String MP_CAPABLE_KEY = "MP_CAPABLE key changed";
    public static final String MSS_CHANGED = "MSS changed";
    public static final String WINDOW_CHANGED = "TCP window changed";
    public static final String FLAGS_CHANGED = "TCP flags changed";

    /** A hop whose quote cannot show the options (RFC 792's 8 bytes). */
    public static final String UNKNOWN = "unknown";

    /** The answer of the target carries the probe's own MP_CAPABLE: something mirrored it. */
    public static final String MIRRORED = "MP_CAPABLE mirrored";

    private QuoteDiff() {}

    /**
     * The changes between the probe sent and its quote.
     *
     * @param sentOptions the probe's option bytes
     * @param sentWindow the probe's window
     * @param quoted the quoted TCP header (complete)
     */
    public static List<String> diff(byte[] sentOptions, int sentWindow, TcpSegment quoted) {
        List<String> out = new ArrayList<>();
        Map<Integer, TcpOption> sent = byKind(TcpOptionList.decode(sentOptions).options());
        Map<Integer, TcpOption> got = byKind(quoted.options());
        for (var e : sent.entrySet()) {
            TcpOption now = got.get(e.getKey());
            if (now == null) {
                out.add(name(e.getKey()) + " removed");
            } else if (!now.equals(e.getValue())) {
                out.addAll(changed(e.getValue(), now));
            }
        }
        for (int kind : got.keySet()) {
            if (!sent.containsKey(kind)) {
                out.add(name(kind) + " added");
            }
        }
        if (quoted.window() != sentWindow) {
            out.add(WINDOW_CHANGED);
        }
        if (quoted.flags() != TcpSegment.SYN) {
            out.add(FLAGS_CHANGED);
        }
        return out;
    }

    /** Whether a change concerns MPTCP (and so makes a host middlebox-affected). */
    public static boolean aboutMptcp(String modification) {
        return modification.startsWith("MP_CAPABLE") || modification.startsWith("MPTCP");
    }

    private static List<String> changed(TcpOption sent, TcpOption now) {
        if (sent.kind() == TcpOptionKind.MSS) {
            return List.of(MSS_CHANGED);
        }
        if (sent.kind() != TcpOptionKind.MPTCP) {
            return List.of(name(sent.kind()) + " changed");
        }
        MpCapable a = MpCapable.parse(sent.bytes());
        MpCapable b = MpCapable.parse(now.bytes());
        if (a == null || b == null) {
            return List.of("MPTCP option changed");
        }
        List<String> out = new ArrayList<>();
        if (a.version() != b.version()) {
            out.add(MP_CAPABLE_VERSION);
        }
        if (a.flags() != b.flags()) {
            out.add(MP_CAPABLE_FLAGS);
        }
        if (!Objects.equals(a.senderKey(), b.senderKey())) {
            out.add(MP_CAPABLE_KEY);
        }
        return out.isEmpty() ? List.of("MPTCP option changed") : out;
    }

    private static String name(int kind) {
        return switch (kind) {
            case TcpOptionKind.MPTCP -> "MP_CAPABLE";
            case TcpOptionKind.MSS -> "MSS";
            default -> TcpOptionKind.nameOf(kind);
        };
    }

    /** The options by kind (padding left out; the first of a repeated kind). */
    private static Map<Integer, TcpOption> byKind(List<TcpOption> options) {
        Map<Integer, TcpOption> out = new LinkedHashMap<>();
        for (TcpOption o : options) {
            if (o.kind() != TcpOptionKind.NOP && o.kind() != TcpOptionKind.EOL) {
                out.putIfAbsent(o.kind(), o);
            }
        }
        return out;
    }
}
