package org.mpcensus.udf.host;

import org.mpcensus.udf.classify.Classification;

/**
 * A row of the hosts table: a host in a month with the classification of its latest reply (ties in
 * capture time broken by classification, then key, so any replay order gives the same row).
 *
 * @param month {@code yyyy-MM} (UTC)
 * @param host the address
 * @param port the probed port
 * @param probedVersion the probed MPTCP version
 * @param ipVersion 4 or 6
 * @param asn the origin AS
 * @param classification the classification of the latest reply
 * @param mptcpVersion the MP_CAPABLE version of the latest reply, -1 when none
 * @param senderKey the key of the latest reply, or null
 * @param keyWeight the key's Hamming weight, -1 when none
 * @param replies replies seen from this host in the month
 * @param firstSeenMicros the earliest capture time
 * @param lastSeenMicros the latest capture time
 * @param duplicateKey whether the latest reply's key was returned by another address that month
 * @param country the host's ISO country code, or null
 */
public record HostRow(
        String month,
        String host,
        int port,
        int probedVersion,
        int ipVersion,
        long asn,
        Classification classification,
        int mptcpVersion,
        String senderKey,
        int keyWeight,
        long replies,
        long firstSeenMicros,
        long lastSeenMicros,
        boolean duplicateKey,
        String country)
        implements HostOfMonth {}
