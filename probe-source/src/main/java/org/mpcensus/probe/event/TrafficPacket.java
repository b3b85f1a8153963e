package org.mpcensus.probe.event;

import org.mpcensus.probe.packet.MpCapable;
import org.mpcensus.probe.packet.TcpOption;
import org.mpcensus.probe.packet.TcpOptionKind;
import org.mpcensus.probe.packet.TcpSegment;

/**
 * One TCP segment of a packet trace, as much of it as traffic analysis needs: when, how large on
 * the wire, its endpoints and flags, and its MPTCP handshake options.
 *
 * @param trace the trace (file) it is from
 * @param micros capture time, microseconds since the epoch
 * @param wireBytes the frame's length on the wire
 * @param ipVersion 4 or 6
 * @param src source address
 * @param sport source port
 * @param dst destination address
 * @param dport destination port
 * @param flags the TCP flags
 * @param mptcpVersion the version of its MP_CAPABLE option, -1 without one
 * @param mptcpKey the sender key of its MP_CAPABLE option (meaningful when {@code hasKey})
 * @param hasKey whether the MP_CAPABLE option carries a sender key
 * @param joinToken the token of its MP_JOIN option in a SYN, -1 without one
 * @param seq its sequence number (a SYN's is the initial one of its direction)
 */
public record TrafficPacket(
        String trace,
        long micros,
        int wireBytes,
        int ipVersion,
        String src,
        int sport,
        String dst,
        int dport,
        int flags,
        int mptcpVersion,
        long mptcpKey,
        boolean hasKey,
        long joinToken,
        long seq) {

    private static final int SUBTYPE_JOIN = 1;

    /** The packet of a decoded segment. */
    public static TrafficPacket of(String trace, long micros, int wireBytes, TcpSegment s) {
        MpCapable mp = s.mpCapable();
        long join = -1;
        if (s.isSyn()) {
            for (TcpOption o : s.options()) {
                if (o.kind() == TcpOptionKind.MPTCP
                        && o.mptcpSubtype() == SUBTYPE_JOIN
                        && o.length() >= 8) {
                    byte[] b = o.bytes();
                    join =
                            ((b[4] & 0xffL) << 24)
                                    | ((b[5] & 0xffL) << 16)
                                    | ((b[6] & 0xffL) << 8)
                                    | (b[7] & 0xffL);
                }
            }
        }
        return new TrafficPacket(
                trace,
                micros,
                wireBytes,
                s.ipVersion(),
                s.src(),
                s.sport(),
                s.dst(),
                s.dport(),
                s.flags(),
                mp == null ? -1 : mp.version(),
                mp == null || mp.senderKey() == null ? 0 : mp.senderKey(),
                mp != null && mp.senderKey() != null,
                join,
                s.seq());
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** A SYN without ACK. */
    public boolean syn() {
        return has(TcpSegment.SYN) && !has(TcpSegment.ACK);
    }

    /** A SYN-ACK. */
    public boolean synAck() {
        return has(TcpSegment.SYN) && has(TcpSegment.ACK) && !has(TcpSegment.RST);
    }
}
