package org.mpcensus.udf.classify;

import org.mpcensus.probe.event.Probe;
import org.mpcensus.probe.event.ProbeReply;
import org.mpcensus.probe.event.Reply;
import org.mpcensus.probe.event.ReplyType;
import org.mpcensus.probe.packet.MpCapable;

/**
 * Classifies one reply against the probe it answers, in this order: MALFORMED (undecodable
 * options), NOT_MPTCP (RST or no MP_CAPABLE), MIRRORED, WRONG_VERSION, SUSPECT_KEY, CANDIDATE.
 * Stateless and thread-safe; the per-AS and duplicate-key tests that need state live elsewhere.
 */
public final class ReplyClassifier {
    private ReplyClassifier() {}

    /** The classification of a reply. */
    public static Classification classify(ProbeReply r) {
        Reply reply = r.reply();
        if (reply.decodeError() != null) {
            return Classification.MALFORMED;
        }
        MpCapable got = reply.mpCapable();
        if (reply.type() == ReplyType.RST || got == null) {
            return Classification.NOT_MPTCP;
        }
        Probe probe = r.probe();
        MpCapable sent = probe.sentMpCapable();
        if (MirrorFilter.isMirror(probe, sent, reply, got)) {
            return Classification.MIRRORED;
        }
        if (probe.mptcpVersion() != Probe.NO_MPTCP && got.version() != probe.mptcpVersion()) {
            return Classification.WRONG_VERSION;
        }
        Long sentKey = sent == null ? null : sent.senderKey();
        if (sentKey != null
                && got.senderKey() != null
                && Long.bitCount(got.senderKey()) == Long.bitCount(sentKey)) {
            return Classification.SUSPECT_KEY;
        }
        if (got.senderKey() == null) {
            // A SYN-ACK that claims MPTCP must carry its key (RFC 6824 and 8684).
            return Classification.MIRRORED;
        }
        return Classification.CANDIDATE;
    }

    /** The Hamming weight of the reply's key (0..64), or -1 when it carries none. */
    public static int keyWeight(ProbeReply r) {
        MpCapable got = r.reply().mpCapable();
        return got == null || got.senderKey() == null ? -1 : Long.bitCount(got.senderKey());
    }
}
