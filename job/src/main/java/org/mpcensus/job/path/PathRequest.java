package org.mpcensus.job.path;

/**
 * A host whose path to verify: what the census knows of it when it asks.
 *
 * @param month the month of the reply that made the host a case to verify
 * @param host the address
 * @param port the probed port
 * @param version the probed MPTCP version
 * @param ipVersion 4 or 6
 * @param asn the origin AS (0 when unknown)
 * @param country the country, or null
 * @param classification the reply's classification
 */
public record PathRequest(
        String month,
        String host,
        int port,
        int version,
        int ipVersion,
        long asn,
        String country,
        String classification) {

    /**
     * The classification of a host given in a list ({@code mpcensus verify}, {@code mpcensus
     * http-timing}) rather than found by a scan.
     */
    public static final String LISTED = "LISTED";

    /** The same host with its origin AS and country. */
    public PathRequest withLocation(long asn, String country) {
        return new PathRequest(month, host, port, version, ipVersion, asn, country, classification);
    }

    /** The key a host is verified once under: month, host, port and version. */
    public String key() {
        return month + '|' + host + '|' + port + '|' + version;
    }
}
