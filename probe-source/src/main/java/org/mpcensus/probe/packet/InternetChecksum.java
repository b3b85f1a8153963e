package org.mpcensus.probe.packet;

/**
 * The ones'-complement Internet checksum (RFC 1071) and the TCP pseudo-header sums of RFC 793/8200.
 */
public final class InternetChecksum {
    private InternetChecksum() {}

    /** Adds {@code b[offset..offset+length)} as 16-bit big-endian words to a running 32-bit sum. */
    public static long add(long sum, byte[] b, int offset, int length) {
        int i = offset;
        int end = offset + length;
        for (; i + 1 < end; i += 2) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (b[i] & 0xff) << 8;
        }
        return sum;
    }

    /** Folds a running sum to 16 bits and complements it. */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /**
     * The TCP checksum of the segment {@code b[tcpOffset..tcpOffset+tcpLength)} inside an IP packet
     * that starts at {@code ipOffset}; the checksum field must be zero (or the result is 0 for a
     * valid segment).
     */
    public static int tcp(byte[] b, int ipOffset, int tcpOffset, int tcpLength) {
        int version = (b[ipOffset] & 0xff) >>> 4;
        long sum = 0;
        if (version == 4) {
            sum = add(sum, b, ipOffset + 12, 8);
        } else {
            sum = add(sum, b, ipOffset + 8, 32);
        }
        sum += 6; // protocol TCP
        sum += tcpLength;
        sum = add(sum, b, tcpOffset, tcpLength);
        return finish(sum);
    }
}
