package org.mpcensus.probe.packet;

/**
 * Encodes a TCP segment without payload inside an IPv4 (DF set) or IPv6 header, with valid
 * checksums. Options are padded with EOL to a multiple of four bytes.
 */
public final class TcpEncoder {
    private TcpEncoder() {}

    /** The IP packet carrying the segment. */
    public static byte[] encode(
            byte[] src,
            byte[] dst,
            int ttl,
            int sport,
            int dport,
            long seq,
            long ack,
            int flags,
            int window,
            byte[] options) {
        if (src.length != dst.length) {
            throw new IllegalArgumentException("source and destination of different IP versions");
        }
        int optionLength = (options.length + 3) & ~3;
        if (optionLength > 40) {
            throw new IllegalArgumentException("TCP options of " + options.length + " bytes");
        }
        int tcpLength = 20 + optionLength;
        boolean v4 = src.length == 4;
        int ipHeader = v4 ? 20 : 40;
        byte[] p = new byte[ipHeader + tcpLength];
        if (v4) {
            p[0] = 0x45;
            Bytes.putShort(p, 2, p.length);
            Bytes.putShort(p, 6, 0x4000);
            p[8] = (byte) ttl;
            p[9] = 6;
            System.arraycopy(src, 0, p, 12, 4);
            System.arraycopy(dst, 0, p, 16, 4);
            Bytes.putShort(p, 10, InternetChecksum.finish(InternetChecksum.add(0, p, 0, 20)));
        } else {
            p[0] = 0x60;
            Bytes.putShort(p, 4, tcpLength);
            p[6] = 6;
            p[7] = (byte) ttl;
            System.arraycopy(src, 0, p, 8, 16);
            System.arraycopy(dst, 0, p, 24, 16);
        }
        int t = ipHeader;
        Bytes.putShort(p, t, sport);
        Bytes.putShort(p, t + 2, dport);
        Bytes.putInt(p, t + 4, seq);
        Bytes.putInt(p, t + 8, ack);
        p[t + 12] = (byte) ((tcpLength / 4) << 4);
        p[t + 13] = (byte) flags;
        Bytes.putShort(p, t + 14, window);
        System.arraycopy(options, 0, p, t + 20, options.length);
        Bytes.putShort(p, t + 16, InternetChecksum.tcp(p, 0, t, tcpLength));
        return p;
    }
}
