package org.mpcensus.udf.aggregate;

import org.mpcensus.udf.classify.Classification;

/**
 * The key of the census counts: month, IP version, port, probed MPTCP version, AS, classification.
 * Its hash is the same in every JVM (the classification by name, not by the enum's identity hash),
 * so a count lands in the same key group on every TaskManager and after a restore.
 *
 * @param month {@code yyyy-MM} (UTC)
 * @param ipVersion 4 or 6
 * @param port the probed port
 * @param probedVersion the probed MPTCP version
 * @param asn the origin AS, 0 when unknown
 * @param classification the classification
 */
public record CountKey(
        String month,
        int ipVersion,
        int port,
        int probedVersion,
        long asn,
        Classification classification) {

    @Override
    public int hashCode() {
        int h = ResponderKey.hash(month, ipVersion, port, probedVersion, asn);
        return 31 * h + classification.name().hashCode();
    }
}
