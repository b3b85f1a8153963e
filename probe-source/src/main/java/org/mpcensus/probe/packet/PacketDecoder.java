package org.mpcensus.probe.packet;

import java.util.ArrayList;
import java.util.List;

/**
 * Stateless decoder from captured frames (by link type) or bare IP packets to {@link TcpSegment}s.
 * It validates every bound before reading, so truncated or corrupt input yields a {@link Result}
 * with an error instead of an exception. Safe to share between threads.
 */
public final class PacketDecoder {

    /** pcap link types (LINKTYPE_* of tcpdump.org) the decoder understands. */
    public static final int LINKTYPE_NULL = 0;

    public static final int LINKTYPE_ETHERNET = 1;
    public static final int LINKTYPE_PPP = 9;
    public static final int LINKTYPE_RAW = 101;
    public static final int LINKTYPE_LINUX_SLL = 113;
    public static final int LINKTYPE_IPV4 = 228;
    public static final int LINKTYPE_IPV6 = 229;
    public static final int LINKTYPE_LINUX_SLL2 = 276;

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86dd;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88a8;
    private static final int PROTO_TCP = 6;
    private static final int PROTO_ICMP = 1;
    private static final int PROTO_ICMPV6 = 58;
    private static final int IPV6_HOP_BY_HOP = 0;
    private static final int IPV6_ROUTING = 43;
    private static final int IPV6_FRAGMENT = 44;
    private static final int IPV6_DEST_OPTIONS = 60;
    private static final int TCP_HEADER_MIN = 20;

    private PacketDecoder() {}

    /**
     * The outcome of decoding one frame: a TCP segment (possibly with option errors), a packet that
     * is well-formed but not TCP (ARP, UDP, a later fragment), or an error that stopped decoding.
     *
     * @param segment the decoded segment, or null
     * @param error why no segment could be decoded, or null
     * @param notTcp true when the frame is valid but carries no TCP segment
     * @param icmp the ICMP or ICMPv6 error message the frame carries (then {@code notTcp} is true),
     *     or null
     */
    public record Result(TcpSegment segment, DecodeError error, boolean notTcp, IcmpQuote icmp) {
        public Result(TcpSegment segment, DecodeError error, boolean notTcp) {
            this(segment, error, notTcp, null);
        }

        static Result ofError(DecodeError.Kind kind, int offset, String message) {
            return new Result(null, new DecodeError(kind, offset, message), false);
        }

        static Result skipped() {
            return new Result(null, null, true);
        }

        static Result ofIcmp(IcmpQuote quote) {
            return new Result(null, null, true, quote);
        }

        /** True when a segment was decoded and neither it nor its options had a problem. */
        public boolean isClean() {
            return segment != null && segment.errors().isEmpty();
        }

        /** All problems: the stopping error, or the segment's errors. */
        public String errorText() {
            if (error != null) {
                return error.toString();
            }
            return segment == null ? null : segment.errorText();
        }
    }

    /**
     * Decodes a captured frame of the given link type; {@code frame} holds exactly the captured
     * bytes.
     */
    public static Result decodeFrame(int linkType, byte[] frame) {
        return decodeFrame(linkType, frame, Depth.SEGMENT);
    }

    /**
     * How much of a TCP segment to decode: all of it, or what flow reassembly needs (the options of
     * SYN and SYN-ACK segments only; other segments have no options and no option bytes).
     */
    public enum Depth {
        SEGMENT,
        FLOW
    }

    /** Decodes a captured frame of the given link type to the given depth. */
    public static Result decodeFrame(int linkType, byte[] frame, Depth depth) {
        int len = frame.length;
        switch (linkType) {
            case LINKTYPE_ETHERNET -> {
                int at = 12;
                while (true) {
                    if (len < at + 2) {
                        return Result.ofError(
                                DecodeError.Kind.TRUNCATED_LINK_HEADER,
                                0,
                                "Ethernet header needs " + (at + 2) + " bytes, frame has " + len);
                    }
                    int type = Bytes.getUnsignedShort(frame, at);
                    if (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ) {
                        at += 4;
                        continue;
                    }
                    return byEtherType(type, frame, at + 2, depth);
                }
            }
            case LINKTYPE_LINUX_SLL -> {
                if (len < 16) {
                    return Result.ofError(
                            DecodeError.Kind.TRUNCATED_LINK_HEADER,
                            0,
                            "Linux cooked (SLL) header needs 16 bytes, frame has " + len);
                }
                return byEtherType(Bytes.getUnsignedShort(frame, 14), frame, 16, depth);
            }
            case LINKTYPE_LINUX_SLL2 -> {
                if (len < 20) {
                    return Result.ofError(
                            DecodeError.Kind.TRUNCATED_LINK_HEADER,
                            0,
                            "Linux cooked v2 (SLL2) header needs 20 bytes, frame has " + len);
                }
                return byEtherType(Bytes.getUnsignedShort(frame, 0), frame, 20, depth);
            }
            case LINKTYPE_NULL -> {
                if (len < 4) {
                    return Result.ofError(
                            DecodeError.Kind.TRUNCATED_LINK_HEADER,
                            0,
                            "BSD loopback header needs 4 bytes, frame has " + len);
                }
                // The address family is in the writer's byte order and differs between BSDs; the IP
                // version nibble tells the same thing portably.
                return decodeIp(frame, 4, len, depth);
            }
            case LINKTYPE_PPP -> {
                // RFC 1662 framing: address 0xff and control 0x03 (may be compressed away), then
                // the protocol: 0x0021 IPv4, 0x0057 IPv6.
                int at = len >= 2 && (frame[0] & 0xff) == 0xff && frame[1] == 0x03 ? 2 : 0;
                if (len < at + 2) {
                    return Result.ofError(
                            DecodeError.Kind.TRUNCATED_LINK_HEADER,
                            0,
                            "PPP header needs " + (at + 2) + " bytes, frame has " + len);
                }
                int protocol = Bytes.getUnsignedShort(frame, at);
                if (protocol != 0x0021 && protocol != 0x0057) {
                    return Result.skipped();
                }
                return decodeIp(frame, at + 2, len, depth);
            }
            case LINKTYPE_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6 -> {
                return decodeIp(frame, 0, len, depth);
            }
            default -> {
                return Result.ofError(
                        DecodeError.Kind.UNSUPPORTED_LINK_TYPE,
                        0,
                        "link type "
                                + linkType
                                + " (supported: 0 null, 1 Ethernet, 9 PPP, 101 raw IP, 113 Linux cooked,"
                                + " 228/229 IPv4/IPv6, 276 Linux cooked v2)");
            }
        }
    }

    private static Result byEtherType(int etherType, byte[] frame, int ipOffset, Depth depth) {
        if (etherType != ETHERTYPE_IPV4 && etherType != ETHERTYPE_IPV6) {
            return Result.skipped();
        }
        return decodeIp(frame, ipOffset, frame.length, depth);
    }

    /** Decodes a bare IPv4 or IPv6 packet. */
    public static Result decodeIp(byte[] packet) {
        return decodeIp(packet, 0, packet.length);
    }

    /**
     * Decodes the IP packet that starts at {@code offset}; bytes up to {@code end} are captured.
     */
    public static Result decodeIp(byte[] b, int offset, int end) {
        return decodeIp(b, offset, end, Depth.SEGMENT);
    }

    private static Result decodeIp(byte[] b, int offset, int end, Depth depth) {
        if (end - offset < 1) {
            return Result.ofError(
                    DecodeError.Kind.TRUNCATED_IP_HEADER, offset, "no IP header in the frame");
        }
        int version = (b[offset] & 0xff) >>> 4;
        if (version == 4) {
            return decodeIpv4(b, offset, end, depth);
        }
        if (version == 6) {
            return decodeIpv6(b, offset, end, depth);
        }
        return Result.ofError(
                DecodeError.Kind.NOT_IP, offset, "IP version " + version + " (expected 4 or 6)");
    }

    private static Result decodeIpv4(byte[] b, int off, int end, Depth depth) {
        if (end - off < 20) {
            return Result.ofError(
                    DecodeError.Kind.TRUNCATED_IP_HEADER,
                    off,
                    "IPv4 header needs 20 bytes, " + (end - off) + " captured");
        }
        int ihl = (b[off] & 0x0f) * 4;
        int totalLength = Bytes.getUnsignedShort(b, off + 2);
        if (ihl < 20 || totalLength < ihl) {
            return Result.ofError(
                    DecodeError.Kind.BAD_IP_HEADER,
                    off,
                    "IPv4 header length " + ihl + ", total length " + totalLength);
        }
        if (end - off < ihl) {
            return Result.ofError(
                    DecodeError.Kind.TRUNCATED_IP_HEADER,
                    off,
                    "IPv4 header needs " + ihl + " bytes, " + (end - off) + " captured");
        }
        int fragmentOffset = Bytes.getUnsignedShort(b, off + 6) & 0x1fff;
        int protocol = b[off + 9] & 0xff;
        if (protocol != PROTO_TCP && protocol != PROTO_ICMP || fragmentOffset != 0) {
            return Result.skipped();
        }
        String src = IpAddress.format(b, off + 12, 4);
        String dst = IpAddress.format(b, off + 16, 4);
        int ttl = b[off + 8] & 0xff;
        int ipId = Bytes.getUnsignedShort(b, off + 4);
        int payloadEnd = off + totalLength;
        if (protocol == PROTO_ICMP) {
            return IcmpDecoder.decode(4, src, dst, b, off + ihl, Math.min(end, payloadEnd));
        }
        return decodeTcp(
                4, src, dst, ttl, ipId, b, off + ihl, payloadEnd, Math.min(end, payloadEnd), depth);
    }

    private static Result decodeIpv6(byte[] b, int off, int end, Depth depth) {
        if (end - off < 40) {
            return Result.ofError(
                    DecodeError.Kind.TRUNCATED_IP_HEADER,
                    off,
                    "IPv6 header needs 40 bytes, " + (end - off) + " captured");
        }
        int payloadLength = Bytes.getUnsignedShort(b, off + 4);
        int next = b[off + 6] & 0xff;
        int hopLimit = b[off + 7] & 0xff;
        String src = IpAddress.format(b, off + 8, 16);
        String dst = IpAddress.format(b, off + 24, 16);
        int payloadEnd = off + 40 + payloadLength;
        int at = off + 40;
        while (next != PROTO_TCP) {
            if (next == PROTO_ICMPV6) {
                return IcmpDecoder.decode(6, src, dst, b, at, Math.min(end, payloadEnd));
            }
            if (next == IPV6_FRAGMENT) {
                if (at + 8 > end) {
                    return Result.ofError(
                            DecodeError.Kind.TRUNCATED_IP_HEADER,
                            at - off,
                            "IPv6 fragment header cut");
                }
                if ((Bytes.getUnsignedShort(b, at + 2) & 0xfff8) != 0) {
                    return Result.skipped();
                }
                next = b[at] & 0xff;
                at += 8;
            } else if (next == IPV6_HOP_BY_HOP
                    || next == IPV6_ROUTING
                    || next == IPV6_DEST_OPTIONS) {
                if (at + 2 > end) {
                    return Result.ofError(
                            DecodeError.Kind.TRUNCATED_IP_HEADER,
                            at - off,
                            "IPv6 extension header cut");
                }
                next = b[at] & 0xff;
                at += ((b[at + 1] & 0xff) + 1) * 8;
            } else {
                return Result.skipped();
            }
        }
        return decodeTcp(
                6, src, dst, hopLimit, 0, b, at, payloadEnd, Math.min(end, payloadEnd), depth);
    }

    static Result decodeTcp(
            int ipVersion,
            String src,
            String dst,
            int ttl,
            int ipId,
            byte[] b,
            int off,
            int segmentEnd,
            int capturedEnd,
            Depth depth) {
        if (capturedEnd - off < TCP_HEADER_MIN) {
            return Result.ofError(
                    DecodeError.Kind.TRUNCATED_TCP_HEADER,
                    off,
                    "TCP header needs 20 bytes, " + Math.max(0, capturedEnd - off) + " captured");
        }
        int headerLength = ((b[off + 12] & 0xff) >>> 4) * 4;
        if (headerLength < TCP_HEADER_MIN || off + headerLength > segmentEnd) {
            return Result.ofError(
                    DecodeError.Kind.BAD_TCP_HEADER,
                    off,
                    "TCP data offset "
                            + headerLength
                            + " bytes (at least 20, at most the "
                            + (segmentEnd - off)
                            + " bytes of the segment)");
        }
        int flags = b[off + 13] & 0xff;
        int optionsDeclared =
                depth == Depth.FLOW && (flags & TcpSegment.SYN) == 0
                        ? 0
                        : headerLength - TCP_HEADER_MIN;
        int optionsCaptured =
                Math.max(0, Math.min(optionsDeclared, capturedEnd - off - TCP_HEADER_MIN));
        TcpOptionList list =
                TcpOptionList.decode(b, off + TCP_HEADER_MIN, optionsDeclared, optionsCaptured);
        byte[] optionBytes = new byte[optionsCaptured];
        System.arraycopy(b, off + TCP_HEADER_MIN, optionBytes, 0, optionsCaptured);
        List<DecodeError> errors = list.errors();
        if (!errors.isEmpty()) {
            List<DecodeError> shifted = new ArrayList<>(errors.size());
            for (DecodeError e : errors) {
                // Offsets relative to the TCP header are what a reader compares with a hex dump.
                shifted.add(new DecodeError(e.kind(), e.offset() + TCP_HEADER_MIN, e.message()));
            }
            errors = List.copyOf(shifted);
        }
        TcpSegment segment =
                new TcpSegment(
                        ipVersion,
                        src,
                        dst,
                        ttl,
                        ipId,
                        Bytes.getUnsignedShort(b, off),
                        Bytes.getUnsignedShort(b, off + 2),
                        Bytes.getUnsignedInt(b, off + 4),
                        Bytes.getUnsignedInt(b, off + 8),
                        flags,
                        Bytes.getUnsignedShort(b, off + 14),
                        optionBytes,
                        list.options(),
                        list.mpCapable(),
                        errors,
                        segmentEnd - off - headerLength);
        return new Result(segment, null, false);
    }
}
