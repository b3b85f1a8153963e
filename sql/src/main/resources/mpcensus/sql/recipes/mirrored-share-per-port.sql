-- Mirrored share per port: of the hosts whose reply carried MP_CAPABLE, the share that only mirrored the probe, per month, probed version and port.
SELECT
    `month`,
    probed_version,
    port,
    SUM(CASE WHEN classification IN ('MIRRORED', 'WRONG_VERSION', 'SUSPECT_KEY', 'CANDIDATE') THEN hosts ELSE 0 END) AS mp_capable_hosts,
    SUM(CASE WHEN classification = 'MIRRORED' THEN hosts ELSE 0 END) AS mirrored_hosts,
    CAST(SUM(CASE WHEN classification = 'MIRRORED' THEN hosts ELSE 0 END) AS DOUBLE)
        / NULLIF(SUM(CASE WHEN classification IN ('MIRRORED', 'WRONG_VERSION', 'SUSPECT_KEY', 'CANDIDATE') THEN hosts ELSE 0 END), 0) AS mirrored_share
FROM census_counts
GROUP BY `month`, probed_version, port
