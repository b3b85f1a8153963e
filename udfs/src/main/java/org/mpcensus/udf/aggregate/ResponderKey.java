package org.mpcensus.udf.aggregate;

import org.mpcensus.udf.classify.ClassifiedReply;

/**
 * What the census counts responding hosts by: month, IP version, port, probed MPTCP version, AS (a
 * {@link CountKey} without the classification). Its hash is the same in every JVM.
 *
 * @param month {@code yyyy-MM} (UTC)
 * @param ipVersion 4 or 6
 * @param port the probed port
 * @param probedVersion the probed MPTCP version
 * @param asn the origin AS, 0 when unknown
 */
public record ResponderKey(String month, int ipVersion, int port, int probedVersion, long asn) {

    public static ResponderKey of(ClassifiedReply r) {
        return new ResponderKey(r.month(), r.ipVersion(), r.port(), r.probedVersion(), r.asn());
    }

    /** The count of this key's hosts and replies with a classification. */
    public CountKey count(org.mpcensus.udf.classify.Classification classification) {
        return new CountKey(month, ipVersion, port, probedVersion, asn, classification);
    }

    @Override
    public int hashCode() {
        return hash(month, ipVersion, port, probedVersion, asn);
    }

    /** The hash of these fields, the same in every JVM (also the start of {@link CountKey}'s). */
    static int hash(String month, int ipVersion, int port, int probedVersion, long asn) {
        int h = month.hashCode();
        h = 31 * h + ipVersion;
        h = 31 * h + port;
        h = 31 * h + probedVersion;
        return 31 * h + Long.hashCode(asn);
    }
}
