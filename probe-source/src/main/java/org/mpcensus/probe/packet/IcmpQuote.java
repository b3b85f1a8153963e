package org.mpcensus.probe.packet;

/**
 * An ICMP or ICMPv6 error message and the packet it quotes: who sent it, why, and how much of the
 * original packet came back. RFC 792 asks routers to quote the IP header and 8 bytes of the
 * transport header (for TCP: ports and sequence number); RFC 1812 routers and Linux quote as much
 * as fits in 576 bytes (1280 for ICMPv6), so the whole TCP header with its options is there; RFC
 * 4884 adds a length field and an extension structure after a padded quote. Produced by {@link
 * PacketDecoder}; immutable.
 *
 * @param ipVersion 4 or 6
 * @param router the message's source: the router (or host) that sent it
 * @param to the message's destination
 * @param type the ICMP type
 * @param code the ICMP code
 * @param quoteLength bytes of the original datagram quoted (its IP header and what follows),
 *     without RFC 4884 padding and extensions
 * @param extended whether an RFC 4884 length field announced an extension structure
 * @param quoted the quoted IP header's fields and the quoted transport header, as far as quoted
 */
public record IcmpQuote(
        int ipVersion,
        String router,
        String to,
        int type,
        int code,
        int quoteLength,
        boolean extended,
        Quoted quoted) {

    /** ICMP types and codes the prober tells apart. */
    public static final int V4_DEST_UNREACHABLE = 3;

    public static final int V4_TIME_EXCEEDED = 11;
    public static final int V6_DEST_UNREACHABLE = 1;
    public static final int V6_TIME_EXCEEDED = 3;

    /**
     * The quoted packet.
     *
     * @param src the original source (us, for our probes)
     * @param dst the original destination (the probe's target)
     * @param ttl the TTL or hop limit as the router received it
     * @param protocol the transport protocol (6 for TCP)
     * @param headerBytes the quoted IP header length
     * @param transportBytes bytes of the transport header (and data) quoted
     * @param sport the quoted source port, or -1 when fewer than 2 bytes are quoted
     * @param dport the quoted destination port, or -1
     * @param seq the quoted TCP sequence number, or -1 when not TCP or fewer than 8 bytes are
     *     quoted
     * @param tcp the whole quoted TCP header with its options when at least 20 bytes are quoted
     *     (the options may be cut by the quote: see its errors), else null
     */
    public record Quoted(
            String src,
            String dst,
            int ttl,
            int protocol,
            int headerBytes,
            int transportBytes,
            int sport,
            int dport,
            long seq,
            TcpSegment tcp) {}

    /** An ICMP(v6) time exceeded in transit: a router on the path dropped the packet. */
    public boolean timeExceeded() {
        return ipVersion == 4 ? type == V4_TIME_EXCEEDED : type == V6_TIME_EXCEEDED;
    }

    /** An ICMP(v6) destination unreachable. */
    public boolean unreachable() {
        return ipVersion == 4 ? type == V4_DEST_UNREACHABLE : type == V6_DEST_UNREACHABLE;
    }

    /**
     * Destination unreachable because a filter said no: ICMP codes 9, 10 and 13 (communication
     * administratively prohibited), ICMPv6 code 1.
     */
    public boolean administrativelyProhibited() {
        if (!unreachable()) {
            return false;
        }
        return ipVersion == 4 ? code == 9 || code == 10 || code == 13 : code == 1;
    }

    /** Whether the whole TCP header of the quoted packet, options included, came back. */
    public boolean fullTcpQuote() {
        return quoted.tcp() != null && quoted.tcp().errors().isEmpty();
    }
}
