-- Consistent versus all candidate hosts per month, IP version, MPTCP version and port.
SELECT
    `month`, ip_version, probed_version, port,
    SUM(CASE WHEN candidate THEN 1 ELSE 0 END) AS candidates,
    SUM(CASE WHEN consistent THEN 1 ELSE 0 END) AS consistent,
    SUM(CASE WHEN is_transient THEN 1 ELSE 0 END) AS transient_hosts
FROM census_consistency
GROUP BY `month`, ip_version, probed_version, port
