package org.mpcensus.job.traffic;

/**
 * One row of {@code traffic_share}: per trace, UTC day (of each flow's first packet) and IP
 * version, the TCP flows of at least the minimum packet count and how many of them, and of their
 * bytes, were MPTCP.
 *
 * @param trace the trace
 * @param day the day, {@code yyyy-MM-dd}
 * @param ipVersion 4 or 6
 * @param tcpFlows TCP flows
 * @param tcpBytes their bytes
 * @param mptcpFlows flows that were MPTCP: connections' first subflows and joined subflows
 * @param mptcpBytes their bytes
 * @param connections MPTCP connections (MP_CAPABLE handshakes)
 * @param subflows joined subflows (MP_JOIN handshakes)
 * @param v0Connections connections of MPTCP v0
 * @param v1Connections connections of MPTCP v1
 */
public record TrafficShareRow(
        String trace,
        String day,
        int ipVersion,
        long tcpFlows,
        long tcpBytes,
        long mptcpFlows,
        long mptcpBytes,
        long connections,
        long subflows,
        long v0Connections,
        long v1Connections) {

    /** The row's key: trace, day and IP version. */
    public String key() {
        return trace + '|' + day + '|' + ipVersion;
    }
}
