package org.mpcensus.job.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mpcensus.probe.event.CaptureTime;
import org.mpcensus.udf.classify.ClassifiedReply;

/**
 * The JSON Lines form of a classified reply ({@code replay --emit-replies}), a contract other tools
 * read: {@code ts, month, saddr, port, ip_version, probed_version, reply, classification,
 * mptcp_version, sender_key, key_weight, asn, country, scan, vantage}; "none" is JSON null.
 */
public final class ClassifiedReplyJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ClassifiedReplyJson() {}

    public static String write(ClassifiedReply r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("ts", CaptureTime.format(r.captureTimeMicros()));
        n.put("month", r.month());
        n.put("saddr", r.host());
        n.put("port", r.port());
        n.put("ip_version", r.ipVersion());
        n.put("probed_version", r.probedVersion());
        n.put("reply", r.replyType() == null ? null : r.replyType().name());
        n.put("classification", r.classification().name());
        if (r.mptcpVersion() < 0) {
            n.putNull("mptcp_version");
        } else {
            n.put("mptcp_version", r.mptcpVersion());
        }
        n.put("sender_key", r.senderKey());
        if (r.keyWeight() < 0) {
            n.putNull("key_weight");
        } else {
            n.put("key_weight", r.keyWeight());
        }
        n.put("asn", r.asn());
        n.put("country", r.country());
        n.put("scan", r.scanId());
        n.put("vantage", r.vantage());
        return n.toString();
    }
}
