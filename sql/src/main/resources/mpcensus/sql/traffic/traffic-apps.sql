-- Application mix of MPTCP traffic: each application's share of all MPTCP bytes, and the MPTCP share of its own bytes.
SELECT a.app,
       SUM(a.mptcp_bytes) AS mptcp_bytes,
       CAST(SUM(a.mptcp_bytes) AS DOUBLE) / MAX(t.total) AS share_of_mptcp,
       CAST(SUM(a.mptcp_bytes) AS DOUBLE) / SUM(a.tcp_bytes) AS mptcp_share_of_app
FROM traffic_apps a
CROSS JOIN (SELECT SUM(mptcp_bytes) AS total FROM traffic_apps) t
GROUP BY a.app
