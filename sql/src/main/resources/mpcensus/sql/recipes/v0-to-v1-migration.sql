-- Migration from one month to the next, per port: hosts that added v1, dropped v0, or switched (v0 only, then v1 only).
SELECT
    later.`month`,
    later.port,
    SUM(CASE WHEN later.v1 AND NOT earlier.v1 THEN 1 ELSE 0 END) AS added_v1,
    SUM(CASE WHEN earlier.v0 AND NOT later.v0 THEN 1 ELSE 0 END) AS dropped_v0,
    SUM(CASE WHEN earlier.v0 AND NOT earlier.v1 AND later.v1 AND NOT later.v0 THEN 1 ELSE 0 END) AS switched
FROM (
    SELECT `month`, port, host,
        MAX(CASE WHEN probed_version = 0 THEN 1 ELSE 0 END) = 1 AS v0,
        MAX(CASE WHEN probed_version = 1 THEN 1 ELSE 0 END) = 1 AS v1
    FROM census_hosts WHERE classification = 'CANDIDATE' GROUP BY `month`, port, host
) AS later
JOIN (
    SELECT `month`, port, host,
        MAX(CASE WHEN probed_version = 0 THEN 1 ELSE 0 END) = 1 AS v0,
        MAX(CASE WHEN probed_version = 1 THEN 1 ELSE 0 END) = 1 AS v1
    FROM census_hosts WHERE classification = 'CANDIDATE' GROUP BY `month`, port, host
) AS earlier
ON later.host = earlier.host AND later.port = earlier.port
    AND CAST(SUBSTRING(later.`month` FROM 1 FOR 4) AS INT) * 12 + CAST(SUBSTRING(later.`month` FROM 6 FOR 2) AS INT)
      = CAST(SUBSTRING(earlier.`month` FROM 1 FOR 4) AS INT) * 12 + CAST(SUBSTRING(earlier.`month` FROM 6 FOR 2) AS INT) + 1
GROUP BY later.`month`, later.port
