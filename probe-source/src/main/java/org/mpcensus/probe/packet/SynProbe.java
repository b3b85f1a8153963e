package org.mpcensus.probe.packet;

/**
 * Encodes the probe mpcensus sends: a TCP SYN carrying MSS and MP_CAPABLE, v0 (length 12 with a
 * static key) or v1 (length 4, no key), as a complete IPv4 or IPv6 packet with valid checksums.
 *
 * <pre>
 * IPv4 (20) | TCP (20) | MSS (4) | MP_CAPABLE (12: v0, 4: v1)
 * IPv6 (40) | TCP (20) | MSS (4) | MP_CAPABLE (12: v0, 4: v1)
 * </pre>
 */
public final class SynProbe {

    /** The MSS the probes announce. */
    public static final int DEFAULT_MSS = 1460;

    /** The static v0 key of the ZMap fork used in published MPTCP adoption studies. */
    public static final long ZMAP_FORK_V0_KEY = 0x0c0c0c0c0c0c0c0cL;

    /** The TTL (hop limit) of scan probes. */
    public static final int DEFAULT_TTL = 64;

    /** The window of every probe. */
    public static final int DEFAULT_WINDOW = 65535;

    private SynProbe() {}

    /** The TCP option bytes of a probe: MSS, then MP_CAPABLE of the given version. */
    public static byte[] options(int mptcpVersion, int flags, long key) {
        byte[] mp = MpCapable.synOption(mptcpVersion, flags, key);
        byte[] out = new byte[4 + mp.length];
        out[0] = (byte) TcpOptionKind.MSS;
        out[1] = 4;
        Bytes.putShort(out, 2, DEFAULT_MSS);
        System.arraycopy(mp, 0, out, 4, mp.length);
        return out;
    }

    /**
     * Encodes a SYN probe as an IP packet.
     *
     * @param src source address, 4 or 16 bytes
     * @param dst destination address, of the same family
     * @param mptcpVersion 0 or 1
     * @param key the v0 key (ignored for v1)
     */
    public static byte[] encode(
            byte[] src, byte[] dst, int sport, int dport, long seq, int mptcpVersion, long key) {
        return encode(src, dst, DEFAULT_TTL, sport, dport, seq, mptcpVersion, key);
    }

    /** Encodes a SYN probe with a given TTL (hop limit), as path probes are sent. */
    public static byte[] encode(
            byte[] src,
            byte[] dst,
            int ttl,
            int sport,
            int dport,
            long seq,
            int mptcpVersion,
            long key) {
        return TcpEncoder.encode(
                src,
                dst,
                ttl,
                sport,
                dport,
                seq,
                0,
                TcpSegment.SYN,
                DEFAULT_WINDOW,
                options(mptcpVersion, MpCapable.PROBE_FLAGS, key));
    }
}
