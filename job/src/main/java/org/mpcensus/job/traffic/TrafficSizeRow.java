package org.mpcensus.job.traffic;

/**
 * One row of {@code traffic_sizes}: how a trace's MPTCP bytes are spread over its MPTCP flows, the
 * published studies' flow-size distribution.
 *
 * @param trace the trace
 * @param mptcpFlows MPTCP flows (connections' first subflows and joined subflows) of at least the
 *     minimum packet count
 * @param mptcpBytes their bytes
 * @param top1Share the share of those bytes the largest flow carries (0..1)
 * @param top5Share the share the 5 largest flows carry
 * @param topHalfShare the share the largest half of the flows (rounded up) carry
 */
public record TrafficSizeRow(
        String trace,
        long mptcpFlows,
        long mptcpBytes,
        double top1Share,
        double top5Share,
        double topHalfShare) {}
