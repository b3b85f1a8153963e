WITH RECURSIVE binomial(weight, ways) AS (
    SELECT 0, CAST(1 AS FLOAT8)
    UNION ALL
    SELECT weight + 1, ways * (64 - weight) / (weight + 1) FROM binomial WHERE weight < 64
), keys AS (
    SELECT key_weight AS weight, COUNT(*) AS hosts FROM census_hosts
    WHERE classification IN ('CANDIDATE', 'SUSPECT_KEY') AND key_weight >= 0 AND {months}
    GROUP BY key_weight
)
SELECT b.weight, COALESCE(k.hosts, 0) AS hosts,
       ROUND(CAST((SELECT SUM(hosts) FROM keys) * b.ways / POWER(2, 64) AS NUMERIC), 3) AS expected
FROM binomial b LEFT JOIN keys k ON k.weight = b.weight
ORDER BY b.weight
