-- Port overlap: candidate hosts per month and probed version that answered as candidates on port 80 only, on 443 only, or on both.
SELECT
    `month`,
    probed_version,
    SUM(CASE WHEN on80 AND NOT on443 THEN 1 ELSE 0 END) AS only_80,
    SUM(CASE WHEN on443 AND NOT on80 THEN 1 ELSE 0 END) AS only_443,
    SUM(CASE WHEN on80 AND on443 THEN 1 ELSE 0 END) AS both_ports
FROM (
    SELECT
        `month`,
        probed_version,
        host,
        MAX(CASE WHEN port = 80 THEN 1 ELSE 0 END) = 1 AS on80,
        MAX(CASE WHEN port = 443 THEN 1 ELSE 0 END) = 1 AS on443
    FROM census_hosts
    WHERE classification = 'CANDIDATE' AND port IN (80, 443)
    GROUP BY `month`, probed_version, host
)
GROUP BY `month`, probed_version
