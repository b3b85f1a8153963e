package org.mpcensus.udf.classify;

import java.util.Arrays;
import org.mpcensus.probe.event.Probe;
import org.mpcensus.probe.event.ProbeReply;
import org.mpcensus.probe.event.Reply;
import org.mpcensus.probe.event.ReplyType;
import org.mpcensus.probe.packet.MpCapable;
import org.mpcensus.probe.packet.TcpOption;
import org.mpcensus.probe.packet.TcpOptionKind;
import org.mpcensus.probe.packet.TcpOptionList;

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
        if (isMirror(probe, sent, reply, got)) {
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

    /**
     * A mirror is the probe's own option coming back: byte-identical to what was sent, or for v0
     * the probe's key, or for v1 a keyless MP_CAPABLE (a real v1 SYN-ACK always carries a key).
     */
    static boolean isMirror(Probe probe, MpCapable sent, Reply reply, MpCapable got) {
        return isMirror(probe.mptcpVersion(), probe.options(), sent, reply.options(), got);
    }

    /**
     * Whether reply options mirror the probe's: the same test on raw option bytes, for SQL.
     *
     * @param probedVersion the probe's MPTCP version
     * @param probeOptions the probe's TCP option bytes
     * @param replyOptions the reply's TCP option bytes
     */
    public static boolean isMirror(int probedVersion, byte[] probeOptions, byte[] replyOptions) {
        MpCapable sent = TcpOptionList.decode(probeOptions).mpCapable();
        MpCapable got = TcpOptionList.decode(replyOptions).mpCapable();
        return got != null && isMirror(probedVersion, probeOptions, sent, replyOptions, got);
    }

    private static boolean isMirror(
            int probedVersion,
            byte[] probeOptions,
            MpCapable sent,
            byte[] replyOptions,
            MpCapable got) {
        byte[] sentBytes = mpCapableBytes(probeOptions);
        byte[] gotBytes = mpCapableBytes(replyOptions);
        if (sentBytes != null && Arrays.equals(sentBytes, gotBytes)) {
            return true;
        }
        if (sent != null && sent.senderKey() != null && sent.senderKey().equals(got.senderKey())) {
            return true;
        }
        return probedVersion == 1 && got.senderKey() == null;
    }

    /** The Hamming weight of the reply's key (0..64), or -1 when it carries none. */
    public static int keyWeight(ProbeReply r) {
        MpCapable got = r.reply().mpCapable();
        return got == null || got.senderKey() == null ? -1 : Long.bitCount(got.senderKey());
    }

    private static byte[] mpCapableBytes(byte[] options) {
        if (options == null) {
            return null;
        }
        for (TcpOption o : TcpOptionList.decode(options).options()) {
            if (o.kind() == TcpOptionKind.MPTCP && o.mptcpSubtype() == MpCapable.SUBTYPE) {
                return o.bytes();
            }
        }
        return null;
    }
}
