package org.mpcensus.probe.event;

import org.mpcensus.probe.packet.MpCapable;
import org.mpcensus.probe.packet.TcpOptionList;

/**
 * The probe a reply answers: whom it was sent to, and which MP_CAPABLE it carried.
 *
 * @param target the probed address (dotted quad or RFC 5952 IPv6 text)
 * @param port the probed TCP port
 * @param mptcpVersion the MP_CAPABLE version the probe carried (0 or 1), -1 when it carried none
 * @param options the TCP option bytes the probe carried (so the sent key), empty when unknown
 */
public record Probe(String target, int port, int mptcpVersion, byte[] options) {

    /** The version value of a probe that carried no MP_CAPABLE option. */
    public static final int NO_MPTCP = -1;

    /** The MP_CAPABLE option the probe carried, or null. */
    public MpCapable sentMpCapable() {
        return options == null ? null : TcpOptionList.decode(options).mpCapable();
    }

    /** The key the probe carried (v0), or null (v1 probes carry none). */
    public Long sentKey() {
        MpCapable sent = sentMpCapable();
        return sent == null ? null : sent.senderKey();
    }

    /** 4 or 6. */
    public int ipVersion() {
        return target.indexOf(':') >= 0 ? 6 : 4;
    }
}
