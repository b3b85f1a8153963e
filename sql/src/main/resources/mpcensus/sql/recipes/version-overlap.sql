-- Version overlap: candidate hosts per month and port that are candidates for MPTCPv0 only, v1 only, or both.
SELECT
    `month`,
    port,
    SUM(CASE WHEN category = 'only_v0' THEN hosts ELSE 0 END) AS only_v0,
    SUM(CASE WHEN category = 'only_v1' THEN hosts ELSE 0 END) AS only_v1,
    SUM(CASE WHEN category = 'both' THEN hosts ELSE 0 END) AS both_versions
FROM census_overlap
WHERE measure = 'VERSIONS'
GROUP BY `month`, port
