SELECT month, ip_version, probed_version, category, SUM(hosts) AS hosts
FROM census_overlap
WHERE measure = 'PORTS' AND {months}
GROUP BY month, ip_version, probed_version, category
ORDER BY month, ip_version, probed_version, category
