package org.mpcensus.job.traffic;

/**
 * One row of {@code traffic_apps}: per trace and application (by server port, {@link PortMap}), TCP
 * and MPTCP flows and bytes of the flows of at least the minimum packet count.
 */
public record TrafficAppRow(
        String trace, String app, long tcpFlows, long tcpBytes, long mptcpFlows, long mptcpBytes)
        implements FlowCounts {

    public String key() {
        return trace + '|' + app;
    }
}
