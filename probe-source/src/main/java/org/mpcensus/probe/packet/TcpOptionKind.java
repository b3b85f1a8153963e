package org.mpcensus.probe.packet;

/** The TCP option kinds the codec names (IANA "TCP Option Kind Numbers"). */
public final class TcpOptionKind {
    public static final int EOL = 0;
    public static final int NOP = 1;
    public static final int MSS = 2;
    public static final int WINDOW_SCALE = 3;
    public static final int SACK_PERMITTED = 4;
    public static final int SACK = 5;
    public static final int TIMESTAMPS = 8;
    public static final int MPTCP = 30;
    public static final int TFO = 34;

    private TcpOptionKind() {}

    /** The short name used in decodes and JSON output (tcpdump's names where it has one). */
    public static String nameOf(int kind) {
        return switch (kind) {
            case EOL -> "eol";
            case NOP -> "nop";
            case MSS -> "mss";
            case WINDOW_SCALE -> "wscale";
            case SACK_PERMITTED -> "sackOK";
            case SACK -> "sack";
            case TIMESTAMPS -> "TS";
            case MPTCP -> "mptcp";
            case TFO -> "tfo";
            default -> "opt-" + kind;
        };
    }
}
