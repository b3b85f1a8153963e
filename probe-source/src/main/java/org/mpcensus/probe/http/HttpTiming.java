package org.mpcensus.probe.http;

/**
 * What one HTTP(S) GET over one transport took, in milliseconds, as curl reports it: the connect
 * (the three-way handshake) and the TLS handshake each on their own, the first byte of the response
 * and the last counted from the start of the connect. A time is null when the GET did not get that
 * far.
 *
 * @param transport {@code MPTCP} or {@code TCP}
 * @param connectMs the connect
 * @param tlsMs the TLS handshake (null on a port without TLS)
 * @param firstByteMs from the start to the first byte of the response
 * @param totalMs from the start to the last byte read
 * @param mptcpUsed the connection was Multipath TCP from the connect to the last byte (never for
 *     {@code TCP}; false for an MPTCP socket that fell back to TCP)
 * @param status the HTTP status, or null
 * @param bytes response bytes read (headers and body, after TLS)
 * @param error why the GET ended early ({@code ECONNREFUSED}, {@code TIMEOUT}, {@code TLS: ...},
 *     {@code BAD_RESPONSE}, {@code BLOCKED}, ...), or null
 */
public record HttpTiming(
        Transport transport,
        Double connectMs,
        Double tlsMs,
        Double firstByteMs,
        Double totalMs,
        boolean mptcpUsed,
        Integer status,
        long bytes,
        String error) {

    /** A GET that was not made or did not finish for a reason. */
    public static HttpTiming failed(Transport transport, String error) {
        return new HttpTiming(transport, null, null, null, null, false, null, 0, error);
    }

    /** True when the response came to its end (a status line, and no error). */
    public boolean answered() {
        return status != null && error == null;
    }
}
