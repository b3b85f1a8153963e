package org.mpcensus.udf.overlap;

/**
 * The key of an overlap count.
 *
 * @param month {@code yyyy-MM} (UTC)
 * @param ipVersion 4 or 6
 * @param asn the origin AS, 0 when unknown
 * @param measure what is compared
 * @param port the port, -1 for {@link OverlapMeasure#PORTS}
 * @param probedVersion the probed MPTCP version for {@link OverlapMeasure#PORTS}, else -1
 * @param category e.g. {@code only_80}, {@code both}, {@code only_v1}, {@code added_v1}
 */
public record OverlapKey(
        String month,
        int ipVersion,
        long asn,
        OverlapMeasure measure,
        int port,
        int probedVersion,
        String category) {}
