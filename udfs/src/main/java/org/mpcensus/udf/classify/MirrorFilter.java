package org.mpcensus.udf.classify;

import java.util.Arrays;
import org.mpcensus.probe.event.Probe;
import org.mpcensus.probe.event.Reply;
import org.mpcensus.probe.packet.MpCapable;
import org.mpcensus.probe.packet.TcpOption;
import org.mpcensus.probe.packet.TcpOptionKind;
import org.mpcensus.probe.packet.TcpOptionList;

/**
 * The mirror filter: tells a middlebox that reflects the probe's own {@code MP_CAPABLE} back (or a
 * host that echoes options) from a host that answers with its own. Used by {@link ReplyClassifier}
 * for every reply and by the SQL function {@code is_mirrored} on raw option bytes.
 */
public final class MirrorFilter {
    private MirrorFilter() {}

    /**
     * A mirror is the probe's own option coming back: byte-identical to what was sent, or for v0
     * the probe's key, or for v1 a keyless MP_CAPABLE (a real v1 SYN-ACK always carries a key).
     */
    public static boolean isMirror(Probe probe, MpCapable sent, Reply reply, MpCapable got) {
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
