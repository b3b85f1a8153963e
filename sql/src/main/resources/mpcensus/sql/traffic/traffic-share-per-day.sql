-- MPTCP share of TCP flows and bytes per day (time bucket) and IP version, with the moving average of MPTCP flows (the studies' traffic share and EWMA figures).
SELECT bucket, ip_version,
       SUM(tcp_flows) AS tcp_flows,
       SUM(mptcp_flows) AS mptcp_flows,
       CAST(SUM(mptcp_flows) AS DOUBLE) / SUM(tcp_flows) AS flow_share,
       CAST(SUM(mptcp_bytes) AS DOUBLE) / SUM(tcp_bytes) AS byte_share,
       SUM(mptcp_flows_ewma) AS mptcp_flows_ewma
FROM traffic_share
GROUP BY bucket, ip_version
