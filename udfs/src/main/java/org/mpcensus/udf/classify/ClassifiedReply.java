package org.mpcensus.udf.classify;

import org.mpcensus.probe.event.ReplyType;

/**
 * A reply after classification and enrichment, flat for sinks and SQL. Keys are 16 lowercase hex
 * digits; -1 marks "none" in the integer fields.
 *
 * @param captureTimeMicros capture time, microseconds since the epoch (UTC)
 * @param month the calendar month (UTC) of the capture, {@code yyyy-MM}
 * @param ipVersion 4 or 6
 * @param host the probed address
 * @param port the probed port
 * @param probedVersion the MPTCP version of the probe, -1 when it carried none
 * @param replyType SYN_ACK or RST
 * @param classification the classification
 * @param mptcpVersion the MP_CAPABLE version in the reply, -1 when none
 * @param senderKey the reply's MP_CAPABLE key, or null
 * @param keyWeight the key's Hamming weight, -1 when no key
 * @param asn the origin AS of the host's longest matching prefix, 0 when unknown
 * @param country the host's ISO country code, or null when unknown
 * @param vantage the vantage point
 * @param scanId the scan
 */
public record ClassifiedReply(
        long captureTimeMicros,
        String month,
        int ipVersion,
        String host,
        int port,
        int probedVersion,
        ReplyType replyType,
        Classification classification,
        int mptcpVersion,
        String senderKey,
        int keyWeight,
        long asn,
        String country,
        String vantage,
        String scanId) {

    /** The same reply with its origin AS and country set by enrichment. */
    public ClassifiedReply withLocation(long newAsn, String newCountry) {
        return new ClassifiedReply(
                captureTimeMicros,
                month,
                ipVersion,
                host,
                port,
                probedVersion,
                replyType,
                classification,
                mptcpVersion,
                senderKey,
                keyWeight,
                newAsn,
                newCountry,
                vantage,
                scanId);
    }
}
