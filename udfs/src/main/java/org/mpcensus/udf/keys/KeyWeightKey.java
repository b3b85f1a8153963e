package org.mpcensus.udf.keys;

/**
 * What key-weight histograms are kept per: month, IP version, port, probed version and AS.
 *
 * @param month {@code yyyy-MM} (UTC)
 * @param ipVersion 4 or 6
 * @param port the probed port
 * @param probedVersion the probed MPTCP version
 * @param asn the origin AS
 */
public record KeyWeightKey(String month, int ipVersion, int port, int probedVersion, long asn) {}
