package org.mpcensus.udf.overlap;

/**
 * The key of an overlap count. Its hash is the same in every JVM (the measure by name, not by the
 * enum's identity hash), so a count lands in the same key group on every TaskManager and after a
 * restore.
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
        String category) {

    @Override
    public int hashCode() {
        int h = month.hashCode();
        h = 31 * h + ipVersion;
        h = 31 * h + Long.hashCode(asn);
        h = 31 * h + measure.name().hashCode();
        h = 31 * h + port;
        h = 31 * h + probedVersion;
        return 31 * h + category.hashCode();
    }
}
