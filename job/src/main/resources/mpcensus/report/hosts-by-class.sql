SELECT month, ip_version, probed_version, port, classification, SUM(hosts) AS hosts
FROM census_counts
WHERE classification <> 'NOT_MPTCP' AND {months}
GROUP BY month, ip_version, probed_version, port, classification
ORDER BY month, ip_version, probed_version, port, classification
