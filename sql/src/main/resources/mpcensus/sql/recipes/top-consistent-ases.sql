-- Top ASes by consistent hosts per month, IP version, MPTCP version and port (consistent: a candidate in every month of the window).
SELECT `month`, ip_version, probed_version, port, asn, COUNT(*) AS consistent_hosts
FROM census_consistency
WHERE consistent
GROUP BY `month`, ip_version, probed_version, port, asn
