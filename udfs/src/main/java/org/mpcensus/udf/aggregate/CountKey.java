package org.mpcensus.udf.aggregate;

import org.mpcensus.udf.classify.Classification;

/**
 * The key of the census counts: month, IP version, port, probed MPTCP version, AS, classification.
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
        Classification classification) {}
