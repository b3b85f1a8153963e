WITH keys AS (
    SELECT key_weight AS weight, COUNT(*) AS hosts FROM census_hosts
    WHERE classification IN ('CANDIDATE', 'SUSPECT_KEY') AND key_weight >= 0 AND {months}
    GROUP BY key_weight
)
SELECT b.weight, COALESCE(k.hosts, 0) AS hosts,
       ROUND(CAST((SELECT SUM(hosts) FROM keys) * b.probability AS NUMERIC), 3) AS expected
FROM census_key_weight_binomial b LEFT JOIN keys k ON k.weight = b.weight
ORDER BY b.weight
