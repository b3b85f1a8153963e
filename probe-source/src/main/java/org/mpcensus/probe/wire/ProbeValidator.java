package org.mpcensus.probe.wire;

import org.mpcensus.probe.packet.TcpSegment;

/**
 * Stateless validation of replies, as ZMap does it: a probe's sequence number and source port are a
 * keyed MAC (SipHash-2-4 with the scan secret) of (source, destination, destination port, MPTCP
 * version). A SYN-ACK is valid iff it acknowledges seq + 1 and arrives on the expected port; a RST
 * iff it carries ACK with the same acknowledgment (RFC 793's answer to a SYN). Replies to another
 * scan, forged ones and late ones from an earlier secret fail. Each reader owns a disjoint slice of
 * the source-port range, so readers that capture on one interface accept only their own replies.
 * Not thread-safe (one scratch buffer): one instance per thread.
 */
public final class ProbeValidator {
    private final SipHash mac;
    private final int portBase;
    private final int portCount;
    private final byte[] scratch = new byte[16 + 16 + 2 + 1];

    /**
     * @param secret0 first half of the scan secret
     * @param secret1 second half
     * @param portBase first source port of this reader's slice
     * @param portCount ports in the slice (at least 1)
     */
    public ProbeValidator(long secret0, long secret1, int portBase, int portCount) {
        if (portCount < 1 || portBase < 1 || portBase + portCount > 65536) {
            throw new IllegalArgumentException("source ports " + portBase + " + " + portCount);
        }
        this.mac = new SipHash(secret0, secret1);
        this.portBase = portBase;
        this.portCount = portCount;
    }

    private long mac(byte[] src, byte[] dst, int dport, int version) {
        System.arraycopy(src, 0, scratch, 0, src.length);
        System.arraycopy(dst, 0, scratch, src.length, dst.length);
        int at = src.length + dst.length;
        scratch[at] = (byte) (dport >>> 8);
        scratch[at + 1] = (byte) dport;
        scratch[at + 2] = (byte) version;
        return mac.hash(scratch, at + 3);
    }

    /** The sequence number of the probe from {@code src} to {@code dst:dport} with a version. */
    public long sequence(byte[] src, byte[] dst, int dport, int version) {
        return mac(src, dst, dport, version) & 0xffffffffL;
    }

    /** The source port of that probe. */
    public int sourcePort(byte[] src, byte[] dst, int dport, int version) {
        return portBase
                + (int) Long.remainderUnsigned(mac(src, dst, dport, version) >>> 32, portCount);
    }

    /**
     * Which of the codes {@code 0 .. codes - 1} (an MPTCP version, or a path probe's version and
     * TTL) the probe with this source port and sequence number from {@code us} to {@code target:
     * dport} was sent with, or -1 when none: how quotes of our probes in ICMP messages are matched.
     */
    public int match(byte[] us, byte[] target, int dport, int sport, long seq, int codes) {
        for (int code = 0; code < codes; code++) {
            long m = mac(us, target, dport, code);
            if ((m & 0xffffffffL) == seq
                    && portBase + (int) Long.remainderUnsigned(m >>> 32, portCount) == sport) {
                return code;
            }
        }
        return -1;
    }

    /**
     * The code ({@code 0 .. codes - 1}) of the probe a SYN-ACK or RST answers, or -1: the reply
     * acknowledges that probe's sequence number + 1 on its source port.
     */
    public int answered(TcpSegment reply, byte[] us, byte[] target, int codes) {
        boolean synAck = reply.isSynAck();
        boolean rst = reply.isRst() && reply.hasFlag(TcpSegment.ACK);
        if (!synAck && !rst) {
            return -1;
        }
        return match(
                us, target, reply.sport(), reply.dport(), (reply.ack() - 1) & 0xffffffffL, codes);
    }

    /**
     * The MPTCP version of the probe a reply answers, or -1 when the reply answers none of ours.
     *
     * @param reply a segment from a target ({@code reply.src()}) to us ({@code reply.dst()})
     * @param us our address, the reply's destination, as bytes
     * @param target the reply's source, as bytes
     */
    public int validate(TcpSegment reply, byte[] us, byte[] target) {
        boolean synAck = reply.isSynAck();
        boolean rst = reply.isRst() && reply.hasFlag(TcpSegment.ACK);
        if (!synAck && !rst) {
            return -1;
        }
        for (int version = 0; version <= 1; version++) {
            long m = mac(us, target, reply.sport(), version);
            long seq = m & 0xffffffffL;
            int sport = portBase + (int) Long.remainderUnsigned(m >>> 32, portCount);
            if (reply.dport() == sport && reply.ack() == ((seq + 1) & 0xffffffffL)) {
                return version;
            }
        }
        return -1;
    }
}
