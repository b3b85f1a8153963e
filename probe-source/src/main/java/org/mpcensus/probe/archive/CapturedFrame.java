package org.mpcensus.probe.archive;

/**
 * One frame read from a pcap or pcapng file.
 *
 * @param number the frame's 1-based position in the file (tcpdump's {@code -#})
 * @param timestampNanos capture time, nanoseconds since the epoch (UTC)
 * @param linkType the pcap link type of the interface it was captured on
 * @param data the captured bytes (possibly fewer than {@code originalLength})
 * @param originalLength the frame's length on the wire
 */
public record CapturedFrame(
        long number, long timestampNanos, int linkType, byte[] data, int originalLength) {

    /** True when the capture's snap length cut the frame. */
    public boolean isTruncated() {
        return data.length < originalLength;
    }
}
