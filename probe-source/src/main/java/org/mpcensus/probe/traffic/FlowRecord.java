package org.mpcensus.probe.traffic;

/**
 * One bidirectional TCP flow of a packet trace: its endpoints (the client is the side that sent the
 * SYN, or the first packet's source when the trace missed the handshake), packets and bytes on the
 * wire per direction, and what MPTCP says of it.
 *
 * @param trace the trace (file) the flow is in
 * @param ipVersion 4 or 6
 * @param client the client's address
 * @param clientPort its port
 * @param server the server's address
 * @param serverPort its port
 * @param firstMicros the first packet's capture time, microseconds since the epoch
 * @param lastMicros the last packet's
 * @param packetsUp client-to-server packets
 * @param bytesUp client-to-server bytes, as the frames were on the wire
 * @param packetsDown server-to-client packets
 * @param bytesDown server-to-client bytes
 * @param mptcpVersion the MPTCP version of the MP_CAPABLE handshake, -1 when the flow has none
 * @param serverToken for an MPTCP connection whose server key was seen: the token that subflows
 *     joining it carry (RFC 6824: SHA-1, RFC 8684: SHA-256 of the key, first 32 bits), else -1
 * @param joinToken for an MP_JOIN subflow: the token its SYN carries, else -1
 * @param end why the flow ended: {@code FIN}, {@code RST}, {@code IDLE} or {@code END} (of the
 *     trace)
 */
public record FlowRecord(
        String trace,
        int ipVersion,
        String client,
        int clientPort,
        String server,
        int serverPort,
        long firstMicros,
        long lastMicros,
        long packetsUp,
        long bytesUp,
        long packetsDown,
        long bytesDown,
        int mptcpVersion,
        long serverToken,
        long joinToken,
        FlowEnd end) {

    public long packets() {
        return packetsUp + packetsDown;
    }

    public long bytes() {
        return bytesUp + bytesDown;
    }

    /** An MPTCP connection's first subflow (the MP_CAPABLE handshake). */
    public boolean mptcp() {
        return mptcpVersion >= 0;
    }

    /** An additional subflow of an MPTCP connection (an MP_JOIN handshake). */
    public boolean subflow() {
        return joinToken >= 0;
    }
}
