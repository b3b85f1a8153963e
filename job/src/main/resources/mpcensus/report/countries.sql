WITH per_port AS (
    SELECT country, port, COUNT(DISTINCT host) AS hosts
    FROM census_truly_capable
    WHERE country IS NOT NULL AND {months}
    GROUP BY country, port
), top5 AS (
    SELECT country FROM per_port GROUP BY country ORDER BY SUM(hosts) DESC, country LIMIT 5
)
SELECT p.country, p.port, p.hosts
FROM per_port p JOIN top5 t ON t.country = p.country
ORDER BY p.country, p.port
