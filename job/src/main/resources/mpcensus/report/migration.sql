SELECT month, ip_version, port, category, SUM(hosts) AS hosts
FROM census_overlap
WHERE measure = 'MIGRATION' AND {months}
GROUP BY month, ip_version, port, category
ORDER BY month, ip_version, port, category
