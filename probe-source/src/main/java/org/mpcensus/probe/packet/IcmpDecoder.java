package org.mpcensus.probe.packet;

/**
 * Decodes ICMP and ICMPv6 error messages (destination unreachable, time exceeded, parameter
 * problem, and ICMPv6 packet too big) with the packet they quote, for {@link PacketDecoder}. Every
 * bound is checked before it is read: a quote that is cut, or that quotes something that is not an
 * IP packet of the same version, is a {@link DecodeError} of kind {@code TRUNCATED_ICMP} or {@code
 * BAD_ICMP_QUOTE}. Other ICMP messages (echo, neighbour discovery) are skipped.
 */
final class IcmpDecoder {
    private static final int PROTO_TCP = 6;
    private static final int PROTO_UDP = 17;

    /** The padded quote of ICMP extensions without a length field (RFC 4884 section 5). */
    private static final int COMPAT_QUOTE = 128;

    private IcmpDecoder() {}

    private static boolean isError(int ipVersion, int type) {
        return ipVersion == 4 ? type == 3 || type == 11 || type == 12 : type >= 1 && type <= 4;
    }

    /**
     * Decodes the ICMP message at {@code off}; bytes up to {@code end} are captured and belong to
     * it.
     */
    static PacketDecoder.Result decode(
            int ipVersion, String src, String dst, byte[] b, int off, int end) {
        String icmp = ipVersion == 4 ? "ICMP" : "ICMPv6";
        if (end - off < 8) {
            return PacketDecoder.Result.ofError(
                    DecodeError.Kind.TRUNCATED_ICMP,
                    off,
                    icmp + " header needs 8 bytes, " + Math.max(0, end - off) + " captured");
        }
        int type = b[off] & 0xff;
        int code = b[off + 1] & 0xff;
        if (!isError(ipVersion, type)) {
            return PacketDecoder.Result.skipped();
        }
        int q = off + 8;
        int quoteEnd = end;
        boolean extended = false;
        // RFC 4884: the length of the (padded) original datagram, in 32-bit words (ICMP) or 64-bit
        // words (ICMPv6), for the messages that have the field.
        boolean hasLengthField =
                ipVersion == 4 ? type == 3 || type == 11 || type == 12 : type == 1 || type == 3;
        if (hasLengthField) {
            int words = b[off + (ipVersion == 4 ? 5 : 4)] & 0xff;
            if (words > 0) {
                extended = true;
                quoteEnd = Math.min(end, q + words * (ipVersion == 4 ? 4 : 8));
            }
        }
        if (ipVersion == 4
                && hasLengthField
                && !extended
                && end - q > COMPAT_QUOTE + 4
                && (b[q + COMPAT_QUOTE] & 0xf0) == 0x20) {
            // RFC 4884 section 5: IPv4 routers from before the length field pad the quote to 128
            // bytes
            // and put the (version 2) extension structure right after it.
            extended = true;
            quoteEnd = q + COMPAT_QUOTE;
        }
        if (quoteEnd - q < 1) {
            return bad(q, icmp + " type " + type + " quotes no packet");
        }
        int quotedVersion = (b[q] & 0xff) >>> 4;
        if (quotedVersion != ipVersion) {
            return bad(q, icmp + " quotes IP version " + quotedVersion);
        }
        int headerBytes;
        int protocol;
        int ttl;
        int ipId;
        int declaredEnd;
        String qsrc;
        String qdst;
        if (ipVersion == 4) {
            if (quoteEnd - q < 20) {
                return bad(q, "quoted IPv4 header cut at " + (quoteEnd - q) + " of 20 bytes");
            }
            headerBytes = (b[q] & 0x0f) * 4;
            int total = Bytes.getUnsignedShort(b, q + 2);
            if (headerBytes < 20 || total < headerBytes || quoteEnd - q < headerBytes) {
                return bad(
                        q,
                        "quoted IPv4 header length "
                                + headerBytes
                                + ", total length "
                                + total
                                + ", "
                                + (quoteEnd - q)
                                + " bytes quoted");
            }
            protocol = b[q + 9] & 0xff;
            ttl = b[q + 8] & 0xff;
            ipId = Bytes.getUnsignedShort(b, q + 4);
            qsrc = IpAddress.format(b, q + 12, 4);
            qdst = IpAddress.format(b, q + 16, 4);
            declaredEnd = q + total;
        } else {
            if (quoteEnd - q < 40) {
                return bad(q, "quoted IPv6 header cut at " + (quoteEnd - q) + " of 40 bytes");
            }
            headerBytes = 40;
            protocol = b[q + 6] & 0xff;
            ttl = b[q + 7] & 0xff;
            ipId = 0;
            qsrc = IpAddress.format(b, q + 8, 16);
            qdst = IpAddress.format(b, q + 24, 16);
            declaredEnd = q + 40 + Bytes.getUnsignedShort(b, q + 4);
        }
        int t = q + headerBytes;
        int quoted = Math.min(quoteEnd, declaredEnd);
        int transportBytes = Math.max(0, quoted - t);
        boolean ports = protocol == PROTO_TCP || protocol == PROTO_UDP;
        int sport = ports && transportBytes >= 2 ? Bytes.getUnsignedShort(b, t) : -1;
        int dport = ports && transportBytes >= 4 ? Bytes.getUnsignedShort(b, t + 2) : -1;
        long seq = -1;
        TcpSegment tcp = null;
        if (protocol == PROTO_TCP) {
            if (transportBytes < 8) {
                return bad(
                        t,
                        "quote has "
                                + transportBytes
                                + " bytes of the TCP header (RFC 792 asks for at least 8)");
            }
            seq = Bytes.getUnsignedInt(b, t + 4);
            if (transportBytes >= 20) {
                PacketDecoder.Result r =
                        PacketDecoder.decodeTcp(
                                ipVersion,
                                qsrc,
                                qdst,
                                ttl,
                                ipId,
                                b,
                                t,
                                declaredEnd,
                                quoted,
                                PacketDecoder.Depth.SEGMENT);
                if (r.segment() == null) {
                    return bad(t, "quoted " + r.error().message());
                }
                tcp = r.segment();
            }
        }
        return PacketDecoder.Result.ofIcmp(
                new IcmpQuote(
                        ipVersion,
                        src,
                        dst,
                        type,
                        code,
                        quoted - q,
                        extended,
                        new IcmpQuote.Quoted(
                                qsrc,
                                qdst,
                                ttl,
                                protocol,
                                headerBytes,
                                transportBytes,
                                sport,
                                dport,
                                seq,
                                tcp)));
    }

    private static PacketDecoder.Result bad(int offset, String message) {
        return PacketDecoder.Result.ofError(DecodeError.Kind.BAD_ICMP_QUOTE, offset, message);
    }
}
