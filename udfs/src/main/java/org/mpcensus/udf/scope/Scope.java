package org.mpcensus.udf.scope;

import org.mpcensus.udf.classify.ClassifiedReply;

/**
 * What the census counts by: month, IP version, port, probed MPTCP version and AS. Every key of a
 * count embeds it (the counts of a classification, the key-weight tests, the overlaps, the plain
 * responders, the path counts). Its hash is the same in every JVM, so a key lands in the same key
 * group in every process.
 *
 * @param month {@code yyyy-MM} (UTC)
 * @param ipVersion 4 or 6
 * @param port the probed port, -1 for a count over both ports
 * @param probedVersion the probed MPTCP version, -1 for a count over both versions
 * @param asn the origin AS, 0 when unknown
 */
public record Scope(String month, int ipVersion, int port, int probedVersion, long asn) {

    /** The scope of a reply. */
    public static Scope of(ClassifiedReply r) {
        return new Scope(r.month(), r.ipVersion(), r.port(), r.probedVersion(), r.asn());
    }

    @Override
    public int hashCode() {
        int h = month.hashCode();
        h = 31 * h + ipVersion;
        h = 31 * h + port;
        h = 31 * h + probedVersion;
        return 31 * h + Long.hashCode(asn);
    }
}
