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

    private static final int DEFAULT_TTL = 64;
    private static final int DEFAULT_WINDOW = 65535;

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
        if (src.length != dst.length) {
            throw new IllegalArgumentException("source and destination of different IP versions");
        }
        byte[] options = options(mptcpVersion, MpCapable.PROBE_FLAGS, key);
        int tcpLength = 20 + options.length;
        boolean v4 = src.length == 4;
        int ipHeader = v4 ? 20 : 40;
        byte[] p = new byte[ipHeader + tcpLength];
        if (v4) {
            p[0] = 0x45;
            Bytes.putShort(p, 2, p.length);
            Bytes.putShort(p, 6, 0x4000); // DF
            p[8] = (byte) DEFAULT_TTL;
            p[9] = 6;
            System.arraycopy(src, 0, p, 12, 4);
            System.arraycopy(dst, 0, p, 16, 4);
            Bytes.putShort(p, 10, InternetChecksum.finish(InternetChecksum.add(0, p, 0, 20)));
        } else {
            p[0] = 0x60;
            Bytes.putShort(p, 4, tcpLength);
            p[6] = 6;
            p[7] = (byte) DEFAULT_TTL;
            System.arraycopy(src, 0, p, 8, 16);
            System.arraycopy(dst, 0, p, 24, 16);
        }
        int t = ipHeader;
        Bytes.putShort(p, t, sport);
        Bytes.putShort(p, t + 2, dport);
        Bytes.putInt(p, t + 4, seq);
        p[t + 12] = (byte) ((tcpLength / 4) << 4);
        p[t + 13] = (byte) TcpSegment.SYN;
        Bytes.putShort(p, t + 14, DEFAULT_WINDOW);
        System.arraycopy(options, 0, p, t + 20, options.length);
        Bytes.putShort(p, t + 16, InternetChecksum.tcp(p, 0, t, tcpLength));
        return p;
    }
}
