SELECT month, ip_version, probed_version, port, category, SUM(hosts) AS hosts
FROM census_path_counts
WHERE {months}
GROUP BY month, ip_version, probed_version, port, category
ORDER BY month, ip_version, probed_version, port, category
