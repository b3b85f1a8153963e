-- Version overlap: candidate hosts per month and port that are candidates for MPTCPv0 only, v1 only, or both.
SELECT
    `month`,
    port,
    SUM(CASE WHEN v0 AND NOT v1 THEN 1 ELSE 0 END) AS only_v0,
    SUM(CASE WHEN v1 AND NOT v0 THEN 1 ELSE 0 END) AS only_v1,
    SUM(CASE WHEN v0 AND v1 THEN 1 ELSE 0 END) AS both_versions
FROM (
    SELECT
        `month`,
        port,
        host,
        MAX(CASE WHEN probed_version = 0 THEN 1 ELSE 0 END) = 1 AS v0,
        MAX(CASE WHEN probed_version = 1 THEN 1 ELSE 0 END) = 1 AS v1
    FROM census_hosts
    WHERE classification = 'CANDIDATE'
    GROUP BY `month`, port, host
)
GROUP BY `month`, port
