package org.mpcensus.job.traffic;

/**
 * One row of {@code traffic_share}: per trace, UTC day (of each flow's first packet) and IP
 * version, the TCP flows of at least the minimum packet count and how many of them, and of their
 * bytes, were MPTCP.
 *
 * @param trace the trace
 * @param bucket the day, {@code yyyy-MM-dd}, or {@code capture}
 * @param ipVersion 4 or 6
 * @param tcpFlows TCP flows
 * @param tcpBytes their bytes
 * @param mptcpFlows flows that were MPTCP: connections' first subflows and joined subflows
 * @param mptcpBytes their bytes
 * @param connections MPTCP connections (MP_CAPABLE handshakes)
 * @param subflows joined subflows (MP_JOIN handshakes)
 * @param v0Connections connections of MPTCP v0
 * @param v1Connections connections of MPTCP v1
 * @param tcpFlowsEwma the exponentially weighted moving average of {@code tcpFlows} over the
 *     trace's buckets of this IP version up to this one, once the trace is read to its end (NaN
 *     before)
 * @param mptcpFlowsEwma the same of {@code mptcpFlows}
 */
public record TrafficShareRow(
        String trace,
        String bucket,
        int ipVersion,
        long tcpFlows,
        long tcpBytes,
        long mptcpFlows,
        long mptcpBytes,
        long connections,
        long subflows,
        long v0Connections,
        long v1Connections,
        double tcpFlowsEwma,
        double mptcpFlowsEwma)
        implements FlowCounts {

    /** The same row with its averages. */
    public TrafficShareRow withEwma(double tcp, double mptcp) {
        return new TrafficShareRow(
                trace,
                bucket,
                ipVersion,
                tcpFlows,
                tcpBytes,
                mptcpFlows,
                mptcpBytes,
                connections,
                subflows,
                v0Connections,
                v1Connections,
                tcp,
                mptcp);
    }

    /** The row's key: trace, bucket and IP version. */
    public String key() {
        return trace + '|' + bucket + '|' + ipVersion;
    }
}
