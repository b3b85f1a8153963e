package org.mpcensus.probe.packet;

/**
 * A structured reason why (part of) a packet could not be decoded: what was wrong and where.
 *
 * @param kind the class of problem
 * @param offset byte offset of the problem inside the decoded unit (frame, IP packet or option
 *     list)
 * @param message what was expected and what was found
 */
public record DecodeError(Kind kind, int offset, String message) {

    /** The classes of decoding problems. */
    public enum Kind {
        UNSUPPORTED_LINK_TYPE,
        TRUNCATED_LINK_HEADER,
        NOT_IP,
        TRUNCATED_IP_HEADER,
        BAD_IP_HEADER,
        NOT_TCP,
        TRUNCATED_TCP_HEADER,
        BAD_TCP_HEADER,
        BAD_OPTION_LENGTH,
        OPTION_PAST_END,
        MALFORMED_MPTCP_OPTION,
        TRUNCATED_ICMP,
        BAD_ICMP_QUOTE
    }

    /** The errors separated by {@code "; "}, or null for an empty list. */
    public static String join(java.util.List<DecodeError> errors) {
        if (errors == null || errors.isEmpty()) {
            return null;
        }
        StringBuilder s = new StringBuilder();
        for (DecodeError e : errors) {
            if (s.length() > 0) {
                s.append("; ");
            }
            s.append(e);
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return kind + " at byte " + offset + ": " + message;
    }
}
