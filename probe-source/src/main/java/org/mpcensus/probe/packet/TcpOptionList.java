package org.mpcensus.probe.packet;

import java.util.ArrayList;
import java.util.List;

/**
 * The decoded option list of a TCP header: the options in wire order, the first MP_CAPABLE option,
 * and every problem found. Decoding stops at EOL, at the end of the bytes, or at a length that
 * makes the rest unparseable; it never throws.
 *
 * @param options the options in wire order
 * @param mpCapable the first well-formed MP_CAPABLE option, or null
 * @param errors what was wrong, in wire order (empty for a well-formed list)
 */
public record TcpOptionList(
        List<TcpOption> options, MpCapable mpCapable, List<DecodeError> errors) {

    private static final int[] MPTCP_MIN_LENGTH = {
        4, // 0 MP_CAPABLE, checked exactly by MpCapable
        12, // 1 MP_JOIN
        4, // 2 DSS
        8, // 3 ADD_ADDR
        4, // 4 REMOVE_ADDR
        3, // 5 MP_PRIO
        12, // 6 MP_FAIL
        12, // 7 MP_FASTCLOSE
        4, // 8 MP_TCPRST
    };

    private static final String[] MPTCP_SUBTYPE_NAMES = {
        "capable", "join", "dss", "add-addr", "remove-addr", "prio", "fail", "fast-close", "tcprst"
    };

    /** The tcpdump name of an MPTCP subtype. */
    public static String mptcpSubtypeName(int subtype) {
        return subtype >= 0 && subtype < MPTCP_SUBTYPE_NAMES.length
                ? MPTCP_SUBTYPE_NAMES[subtype]
                : "subtype-" + subtype;
    }

    /** Decodes all of {@code raw} as an option list. */
    public static TcpOptionList decode(byte[] raw) {
        return decode(raw, 0, raw.length, raw.length);
    }

    /**
     * Decodes the option bytes {@code raw[offset..offset+declared)}, of which only the first {@code
     * captured} bytes are present (a capture's snap length may cut a header).
     */
    public static TcpOptionList decode(byte[] raw, int offset, int declared, int captured) {
        List<TcpOption> options = new ArrayList<>();
        List<DecodeError> errors = new ArrayList<>(0);
        MpCapable mpCapable = null;
        int end = offset + declared;
        int available = offset + Math.min(declared, captured);
        int i = offset;
        while (i < end) {
            if (i >= available) {
                errors.add(
                        new DecodeError(
                                DecodeError.Kind.TRUNCATED_TCP_HEADER,
                                i - offset,
                                "options declared "
                                        + declared
                                        + " bytes, the capture holds "
                                        + (available - offset)));
                break;
            }
            int kind = raw[i] & 0xff;
            if (kind == TcpOptionKind.EOL || kind == TcpOptionKind.NOP) {
                options.add(new TcpOption(kind, new byte[] {(byte) kind}));
                i++;
                if (kind == TcpOptionKind.EOL) {
                    break;
                }
                continue;
            }
            if (i + 1 >= end) {
                errors.add(
                        new DecodeError(
                                DecodeError.Kind.OPTION_PAST_END,
                                i - offset,
                                TcpOptionKind.nameOf(kind) + " option has no length byte"));
                break;
            }
            if (i + 1 >= available) {
                errors.add(truncated(i - offset, kind, available - i));
                break;
            }
            int length = raw[i + 1] & 0xff;
            if (length < 2) {
                errors.add(
                        new DecodeError(
                                DecodeError.Kind.BAD_OPTION_LENGTH,
                                i - offset,
                                TcpOptionKind.nameOf(kind)
                                        + " option with length "
                                        + length
                                        + " (at least 2)"));
                break;
            }
            if (i + length > end) {
                errors.add(
                        new DecodeError(
                                DecodeError.Kind.OPTION_PAST_END,
                                i - offset,
                                TcpOptionKind.nameOf(kind)
                                        + " option of length "
                                        + length
                                        + " runs past the end of the options ("
                                        + (end - i)
                                        + " bytes left)"));
                break;
            }
            if (i + length > available) {
                errors.add(truncated(i - offset, kind, available - i));
                break;
            }
            byte[] bytes = new byte[length];
            System.arraycopy(raw, i, bytes, 0, length);
            options.add(new TcpOption(kind, bytes));
            String problem = lengthProblem(kind, bytes);
            if (problem != null) {
                errors.add(
                        new DecodeError(
                                kind == TcpOptionKind.MPTCP
                                        ? DecodeError.Kind.MALFORMED_MPTCP_OPTION
                                        : DecodeError.Kind.BAD_OPTION_LENGTH,
                                i - offset,
                                problem));
            } else if (kind == TcpOptionKind.MPTCP
                    && mpCapable == null
                    && (raw[i + 2] & 0xff) >>> 4 == MpCapable.SUBTYPE) {
                try {
                    mpCapable = MpCapable.decode(raw, i, length);
                } catch (IllegalArgumentException e) {
                    errors.add(
                            new DecodeError(
                                    DecodeError.Kind.MALFORMED_MPTCP_OPTION,
                                    i - offset,
                                    e.getMessage()));
                }
            }
            i += length;
        }
        return new TcpOptionList(List.copyOf(options), mpCapable, List.copyOf(errors));
    }

    private static DecodeError truncated(int at, int kind, int have) {
        return new DecodeError(
                DecodeError.Kind.TRUNCATED_TCP_HEADER,
                at,
                TcpOptionKind.nameOf(kind)
                        + " option cut by the capture's snap length ("
                        + have
                        + " bytes captured)");
    }

    /** A description of what is wrong with an option of this kind and length, or null. */
    private static String lengthProblem(int kind, byte[] bytes) {
        int length = bytes.length;
        return switch (kind) {
            case TcpOptionKind.MSS ->
                    length == 4 ? null : "mss option with length " + length + " (expected 4)";
            case TcpOptionKind.WINDOW_SCALE ->
                    length == 3 ? null : "wscale option with length " + length + " (expected 3)";
            case TcpOptionKind.SACK_PERMITTED ->
                    length == 2 ? null : "sackOK option with length " + length + " (expected 2)";
            case TcpOptionKind.TIMESTAMPS ->
                    length == 10 ? null : "TS option with length " + length + " (expected 10)";
            case TcpOptionKind.SACK ->
                    length >= 10 && length <= 34 && (length - 2) % 8 == 0
                            ? null
                            : "sack option with length " + length + " (expected 2 + 8n, n = 1..4)";
            case TcpOptionKind.TFO ->
                    length == 2 || (length >= 6 && length <= 18 && length % 2 == 0)
                            ? null
                            : "tfo option with length " + length + " (expected 2 or 6..18, even)";
            case TcpOptionKind.MPTCP -> mptcpLengthProblem(bytes);
            default -> null;
        };
    }

    private static String mptcpLengthProblem(byte[] bytes) {
        int length = bytes.length;
        if (length < 3) {
            return "mptcp option with length " + length + " has no subtype (at least 3)";
        }
        int subtype = (bytes[2] & 0xff) >>> 4;
        if (subtype < MPTCP_MIN_LENGTH.length && length < MPTCP_MIN_LENGTH[subtype]) {
            return "mptcp "
                    + mptcpSubtypeName(subtype)
                    + " option with length "
                    + length
                    + " (at least "
                    + MPTCP_MIN_LENGTH[subtype]
                    + ")";
        }
        return null;
    }
}
