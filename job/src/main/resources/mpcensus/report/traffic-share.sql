SELECT bucket, SUM(mptcp_flows) * 100.0 / SUM(tcp_flows) AS flow_share,
       SUM(mptcp_bytes) * 100.0 / SUM(tcp_bytes) AS byte_share,
       SUM(mptcp_flows_ewma) AS mptcp_flows_ewma
FROM traffic_share
GROUP BY bucket
ORDER BY bucket
