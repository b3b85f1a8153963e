package org.mpcensus.probe.wire;

import java.io.IOException;
import org.mpcensus.probe.packet.MpCapable;
import org.mpcensus.probe.packet.SynProbe;
import org.mpcensus.probe.target.OptOutList;

/**
 * The only path from a probe to the wire: it applies the blocklist (fixed list and live opt-outs)
 * to every destination right before the frame is built, then encodes the SYN (sequence number and
 * source port from the {@link ProbeValidator}) inside an Ethernet frame. Used by one sending
 * thread.
 */
public final class ProbeSender {
    /** What became of a probe. */
    public enum Outcome {
        SENT,
        BLOCKED,
        NO_SOURCE_ADDRESS
    }

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86dd;

    private final Wire wire;
    private final byte[] ownMac;
    private final byte[] gatewayMac;
    private final byte[] source4;
    private final byte[] source6;
    private final OptOutList blocklist;
    private final long v0Key;
    private final byte[] frame = new byte[14 + 40 + 20 + 16];

    public ProbeSender(
            Wire wire,
            byte[] ownMac,
            byte[] gatewayMac,
            byte[] source4,
            byte[] source6,
            OptOutList blocklist,
            long v0Key) {
        this.wire = wire;
        this.ownMac = ownMac;
        this.gatewayMac = gatewayMac;
        this.source4 = source4;
        this.source6 = source6;
        this.blocklist = blocklist;
        this.v0Key = v0Key;
        System.arraycopy(gatewayMac, 0, frame, 0, 6);
        System.arraycopy(ownMac, 0, frame, 6, 6);
    }

    /** True when the destination may not be probed. */
    public boolean blocks(byte[] destination) {
        return blocklist.blocks(destination);
    }

    /**
     * Sends one probe unless its destination is blocked; the scan's validator gives its sequence
     * number and source port.
     */
    public Outcome send(byte[] destination, int port, int version, ProbeValidator validator)
            throws IOException {
        return send(destination, port, version, SynProbe.DEFAULT_TTL, version, validator);
    }

    /**
     * Sends one probe of an MPTCP version with a TTL unless its destination is blocked; its
     * sequence number and source port are the validator's MAC of {@code code} (the version for scan
     * probes, the version and the TTL for path probes).
     */
    public Outcome send(
            byte[] destination, int port, int version, int ttl, int code, ProbeValidator validator)
            throws IOException {
        if (blocklist.blocks(destination)) {
            return Outcome.BLOCKED;
        }
        byte[] source = destination.length == 4 ? source4 : source6;
        if (source == null) {
            return Outcome.NO_SOURCE_ADDRESS;
        }
        long seq = validator.sequence(source, destination, port, code);
        int sport = validator.sourcePort(source, destination, port, code);
        byte[] ip = SynProbe.encode(source, destination, ttl, sport, port, seq, version, v0Key);
        int type = destination.length == 4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6;
        frame[12] = (byte) (type >>> 8);
        frame[13] = (byte) type;
        System.arraycopy(ip, 0, frame, 14, ip.length);
        wire.send(frame, 14 + ip.length);
        return Outcome.SENT;
    }

    /** Puts probes still batched on the wire: before waiting, and when a split is sent. */
    public void flush() throws IOException {
        wire.flush();
    }

    /** The option bytes every probe of a version carries (so replies can name what was sent). */
    public byte[] probeOptions(int version) {
        return SynProbe.options(version, MpCapable.PROBE_FLAGS, v0Key);
    }
}
