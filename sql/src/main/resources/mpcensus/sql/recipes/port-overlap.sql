-- Port overlap: candidate hosts per month and probed version that are candidates on port 80 only, on 443 only, or on both.
SELECT
    `month`,
    probed_version,
    SUM(CASE WHEN category = 'only_80' THEN hosts ELSE 0 END) AS only_80,
    SUM(CASE WHEN category = 'only_443' THEN hosts ELSE 0 END) AS only_443,
    SUM(CASE WHEN category = 'both' THEN hosts ELSE 0 END) AS both_ports
FROM census_overlap
WHERE measure = 'PORTS'
GROUP BY `month`, probed_version
