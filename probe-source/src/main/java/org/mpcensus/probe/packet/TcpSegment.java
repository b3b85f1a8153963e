package org.mpcensus.probe.packet;

import java.util.List;

/**
 * A decoded TCP segment with the IP header fields mpcensus uses. Produced by {@link PacketDecoder};
 * immutable. A segment may carry {@link #errors()} when its options are malformed or cut by the
 * capture: everything before the problem is still decoded.
 *
 * @param ipVersion 4 or 6
 * @param src source address (dotted quad or RFC 5952 text)
 * @param dst destination address
 * @param ttl IPv4 TTL or IPv6 hop limit
 * @param ipId IPv4 identification, 0 for IPv6
 * @param sport source port
 * @param dport destination port
 * @param seq sequence number (unsigned 32 bits)
 * @param ack acknowledgment number (unsigned 32 bits)
 * @param flags the flag bits of byte 13 (FIN = 0x01 ... CWR = 0x80)
 * @param window the advertised window
 * @param optionBytes the option bytes as captured (may be shorter than declared when cut)
 * @param options the decoded options in wire order
 * @param mpCapable the MP_CAPABLE option, or null
 * @param errors problems found in the TCP header and its options
 * @param payloadLength the TCP payload length according to the IP header
 */
public record TcpSegment(
        int ipVersion,
        String src,
        String dst,
        int ttl,
        int ipId,
        int sport,
        int dport,
        long seq,
        long ack,
        int flags,
        int window,
        byte[] optionBytes,
        List<TcpOption> options,
        MpCapable mpCapable,
        List<DecodeError> errors,
        int payloadLength) {

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    private static final int[] FLAG_ORDER = {FIN, SYN, RST, PSH, ACK, URG, ECE, CWR};
    private static final char[] FLAG_LETTERS = {'F', 'S', 'R', 'P', '.', 'U', 'E', 'W'};

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    /** A SYN without ACK: what a prober sends. */
    public boolean isSyn() {
        return hasFlag(SYN) && !hasFlag(ACK);
    }

    /** A SYN-ACK: the reply of an open port. */
    public boolean isSynAck() {
        return hasFlag(SYN) && hasFlag(ACK) && !hasFlag(RST);
    }

    public boolean isRst() {
        return hasFlag(RST);
    }

    /** The flags as tcpdump prints them, e.g. {@code S.} for SYN-ACK, {@code none} for no flag. */
    public String flagLetters() {
        return flagLetters(flags);
    }

    /** Formats TCP flag bits the way tcpdump does. */
    public static String flagLetters(int flags) {
        StringBuilder s = new StringBuilder(8);
        for (int i = 0; i < FLAG_ORDER.length; i++) {
            if ((flags & FLAG_ORDER[i]) != 0) {
                s.append(FLAG_LETTERS[i]);
            }
        }
        return s.length() == 0 ? "none" : s.toString();
    }

    /** The problems joined into one human-readable sentence, or null when there are none. */
    public String errorText() {
        return DecodeError.join(errors);
    }
}
