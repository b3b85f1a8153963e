package org.mpcensus.job.http;

/**
 * A host and port to time HTTP(S) GETs to, as the census knows it.
 *
 * @param month the month of what made the host a target
 * @param host the address
 * @param port the port
 * @param ipVersion 4 or 6
 * @param asn the origin AS (0 when unknown)
 * @param country the country, or null
 * @param category the host's path category ({@code TRULY_CAPABLE}, {@code MIDDLEBOX_AFFECTED}, ...)
 *     when its path was verified, else its reply classification ({@code CANDIDATE}, {@code
 *     MIRRORED}, ...), or {@code LISTED} for a host of a list
 */
public record HttpTarget(
        String month,
        String host,
        int port,
        int ipVersion,
        long asn,
        String country,
        String category) {

    /** The key a target is timed once under: month, host and port. */
    public String key() {
        return month + '|' + host + '|' + port;
    }
}
