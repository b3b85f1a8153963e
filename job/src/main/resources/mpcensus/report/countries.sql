SELECT country, port, COUNT(DISTINCT host) AS hosts
FROM census_paths
WHERE category = 'TRULY_CAPABLE' AND country IS NOT NULL AND {months}
GROUP BY country, port
ORDER BY country, port
