-- Flow-size distribution of MPTCP traffic per trace: the share of MPTCP bytes in the largest flow, the 5 largest and the largest half of flows.
SELECT trace, mptcp_flows, mptcp_bytes, top1_share, top5_share, top_half_share
FROM traffic_sizes
