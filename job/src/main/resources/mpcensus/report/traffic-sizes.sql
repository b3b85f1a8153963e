SELECT trace, mptcp_flows, mptcp_bytes, top1_share, top5_share, top_half_share
FROM traffic_sizes
ORDER BY trace
