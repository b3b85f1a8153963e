-- The census tables as upsert-kafka changelog topics ${table_topic_prefix}<table> (JSON key and value).

-- Hosts and replies per month, IP version, port, probed version, AS and classification.
CREATE TABLE IF NOT EXISTS census_counts (
    `month` STRING,
    `ip_version` SMALLINT,
    `port` INT,
    `probed_version` SMALLINT,
    `asn` BIGINT,
    `classification` STRING,
    `hosts` BIGINT,
    `replies` BIGINT,
    PRIMARY KEY (`month`, `ip_version`, `port`, `probed_version`, `asn`, `classification`) NOT ENFORCED
) WITH (
    'connector' = 'upsert-kafka',
    'topic' = '${table_topic_prefix}census_counts',
    'properties.bootstrap.servers' = '${bootstrap}',
    'properties.isolation.level' = 'read_committed',
    'key.format' = 'json',
    'value.format' = 'json'
);

-- Each host per month, port and probed version, with the classification of its latest reply.
CREATE TABLE IF NOT EXISTS census_hosts (
    `month` STRING,
    `host` STRING,
    `port` INT,
    `probed_version` SMALLINT,
    `ip_version` SMALLINT,
    `asn` BIGINT,
    `classification` STRING,
    `mptcp_version` SMALLINT,
    `sender_key` STRING,
    `key_weight` SMALLINT,
    `replies` BIGINT,
    `first_seen` TIMESTAMP(6),
    `last_seen` TIMESTAMP(6),
    `duplicate_key` BOOLEAN,
    `country` STRING,
    PRIMARY KEY (`month`, `host`, `port`, `probed_version`) NOT ENFORCED
) WITH (
    'connector' = 'upsert-kafka',
    'topic' = '${table_topic_prefix}census_hosts',
    'properties.bootstrap.servers' = '${bootstrap}',
    'properties.isolation.level' = 'read_committed',
    'key.format' = 'json',
    'value.format' = 'json'
);

-- Bad input: where it came from, why it was refused, and the raw bytes.
CREATE TABLE IF NOT EXISTS dead_letters (
    `source` STRING,
    `location` STRING,
    `reason` STRING,
    `raw` BYTES,
    `capture_time` TIMESTAMP(6),
    PRIMARY KEY (`source`, `location`) NOT ENFORCED
) WITH (
    'connector' = 'upsert-kafka',
    'topic' = '${table_topic_prefix}dead_letters',
    'properties.bootstrap.servers' = '${bootstrap}',
    'properties.isolation.level' = 'read_committed',
    'key.format' = 'json',
    'value.format' = 'json'
);

-- Each host's standing in the consistency window ending each month.
CREATE TABLE IF NOT EXISTS census_consistency (
    `month` STRING,
    `host` STRING,
    `port` INT,
    `probed_version` SMALLINT,
    `ip_version` SMALLINT,
    `asn` BIGINT,
    `candidate` BOOLEAN,
    `candidate_months` SMALLINT,
    `window_months` SMALLINT,
    `consistent` BOOLEAN,
    `is_transient` BOOLEAN,
    PRIMARY KEY (`month`, `host`, `port`, `probed_version`) NOT ENFORCED
) WITH (
    'connector' = 'upsert-kafka',
    'topic' = '${table_topic_prefix}census_consistency',
    'properties.bootstrap.servers' = '${bootstrap}',
    'properties.isolation.level' = 'read_committed',
    'key.format' = 'json',
    'value.format' = 'json'
);

-- Key-weight histograms and their test against random keys.
CREATE TABLE IF NOT EXISTS census_key_tests (
    `month` STRING,
    `ip_version` SMALLINT,
    `port` INT,
    `probed_version` SMALLINT,
    `asn` BIGINT,
    `keys` BIGINT,
    `p_value` DOUBLE,
    `flagged` BOOLEAN,
    `weights` STRING,
    PRIMARY KEY (`month`, `ip_version`, `port`, `probed_version`, `asn`) NOT ENFORCED
) WITH (
    'connector' = 'upsert-kafka',
    'topic' = '${table_topic_prefix}census_key_tests',
    'properties.bootstrap.servers' = '${bootstrap}',
    'properties.isolation.level' = 'read_committed',
    'key.format' = 'json',
    'value.format' = 'json'
);

-- Port overlap, version overlap and migration counts.
CREATE TABLE IF NOT EXISTS census_overlap (
    `month` STRING,
    `ip_version` SMALLINT,
    `port` INT,
    `probed_version` SMALLINT,
    `asn` BIGINT,
    `measure` STRING,
    `category` STRING,
    `hosts` BIGINT,
    PRIMARY KEY (`month`, `ip_version`, `port`, `probed_version`, `asn`, `measure`, `category`) NOT ENFORCED
) WITH (
    'connector' = 'upsert-kafka',
    'topic' = '${table_topic_prefix}census_overlap',
    'properties.bootstrap.servers' = '${bootstrap}',
    'properties.isolation.level' = 'read_committed',
    'key.format' = 'json',
    'value.format' = 'json'
);

-- Each verified host per month, port and probed version: its path's category, the hop that changes MP_CAPABLE and how.
CREATE TABLE IF NOT EXISTS census_paths (
    `month` STRING,
    `host` STRING,
    `port` INT,
    `probed_version` SMALLINT,
    `ip_version` SMALLINT,
    `asn` BIGINT,
    `country` STRING,
    `classification` STRING,
    `category` STRING,
    `modifying_hop` SMALLINT,
    `hop_address` STRING,
    `modification` STRING,
    `other_modifications` STRING,
    `hops_answered` SMALLINT,
    `target_hop` SMALLINT,
    `answer` STRING,
    `quote_lengths` STRING,
    `first_seen` TIMESTAMP(6),
    `last_seen` TIMESTAMP(6),
    PRIMARY KEY (`month`, `host`, `port`, `probed_version`) NOT ENFORCED
) WITH (
    'connector' = 'upsert-kafka',
    'topic' = '${table_topic_prefix}census_paths',
    'properties.bootstrap.servers' = '${bootstrap}',
    'properties.isolation.level' = 'read_committed',
    'key.format' = 'json',
    'value.format' = 'json'
);

-- Each timed HTTP(S) GET per month, host, port, run and transport (MPTCP or TCP): connect, TLS handshake, first byte and total in ms, whether MPTCP was used, the status or the error.
CREATE TABLE IF NOT EXISTS census_http (
    `month` STRING,
    `host` STRING,
    `port` INT,
    `ip_version` SMALLINT,
    `asn` BIGINT,
    `country` STRING,
    `category` STRING,
    `run` INT,
    `transport` STRING,
    `connect_ms` DOUBLE,
    `tls_ms` DOUBLE,
    `first_byte_ms` DOUBLE,
    `total_ms` DOUBLE,
    `mptcp_used` BOOLEAN,
    `status` INT,
    `bytes` BIGINT,
    `error` STRING,
    `started` TIMESTAMP(6),
    PRIMARY KEY (`month`, `host`, `port`, `run`, `transport`) NOT ENFORCED
) WITH (
    'connector' = 'upsert-kafka',
    'topic' = '${table_topic_prefix}census_http',
    'properties.bootstrap.servers' = '${bootstrap}',
    'properties.isolation.level' = 'read_committed',
    'key.format' = 'json',
    'value.format' = 'json'
);

-- Per month, host and port: paired runs made, runs with both GETs answered, runs where MPTCP was used, and the medians over runs of MPTCP minus TCP of each time (ms).
CREATE TABLE IF NOT EXISTS census_http_deltas (
    `month` STRING,
    `host` STRING,
    `port` INT,
    `ip_version` SMALLINT,
    `asn` BIGINT,
    `country` STRING,
    `category` STRING,
    `runs` INT,
    `answered_runs` INT,
    `mptcp_runs` INT,
    `connect_delta_ms` DOUBLE,
    `tls_delta_ms` DOUBLE,
    `first_byte_delta_ms` DOUBLE,
    `total_delta_ms` DOUBLE,
    PRIMARY KEY (`month`, `host`, `port`) NOT ENFORCED
) WITH (
    'connector' = 'upsert-kafka',
    'topic' = '${table_topic_prefix}census_http_deltas',
    'properties.bootstrap.servers' = '${bootstrap}',
    'properties.isolation.level' = 'read_committed',
    'key.format' = 'json',
    'value.format' = 'json'
);

-- Views over them, as in the databases.

-- The Hamming weight of a random 64-bit key: Binomial(64, 1/2), per weight.
CREATE VIEW IF NOT EXISTS census_key_weight_binomial AS
SELECT weight, CAST(probability AS DOUBLE) AS probability FROM (VALUES (0, 5.42101086242752200e-20), (1, 3.46944695195361400e-18), (2, 1.09287578986538850e-16), (3, 2.25860996572180300e-15), (4, 3.44438019772574930e-14), (5, 4.13325623727089900e-13), (6, 4.06436863331638400e-12), (7, 3.36761972474786100e-11), (8, 2.39942905388285100e-10), (9, 1.49297807797155180e-09), (10, 8.21137942884353500e-09), (11, 4.03104081052319000e-08), (12, 1.78037635798107550e-07), (13, 7.12150543192430200e-07), (14, 2.59426269305813860e-06), (15, 8.64754231019379500e-06), (16, 2.64830983249685000e-05), (17, 7.47758070352051700e-05), (18, 1.95247940591924620e-04), (19, 4.72705540380449070e-04), (20, 1.06358746585601040e-03), (21, 2.22846897607926000e-03), (22, 4.35564390779128100e-03), (23, 7.95378452727103400e-03), (24, 1.35877152340880180e-02), (25, 2.17403443745408300e-02), (26, 3.26105165618112500e-02), (27, 4.58962825684750900e-02), (28, 6.06486591083420860e-02), (29, 7.52879906172522500e-02), (30, 8.78359890534609600e-02), (31, 9.63362460586346100e-02), (32, 9.93467537479669500e-02), (33, 9.63362460586346100e-02), (34, 8.78359890534609600e-02), (35, 7.52879906172522500e-02), (36, 6.06486591083420860e-02), (37, 4.58962825684750900e-02), (38, 3.26105165618112500e-02), (39, 2.17403443745408340e-02), (40, 1.35877152340880220e-02), (41, 7.95378452727103800e-03), (42, 4.35564390779128300e-03), (43, 2.22846897607926100e-03), (44, 1.06358746585601100e-03), (45, 4.72705540380449400e-04), (46, 1.95247940591924780e-04), (47, 7.47758070352052400e-05), (48, 2.64830983249685220e-05), (49, 8.64754231019380400e-06), (50, 2.59426269305814100e-06), (51, 7.12150543192430800e-07), (52, 1.78037635798107700e-07), (53, 4.03104081052319300e-08), (54, 8.21137942884354200e-09), (55, 1.49297807797155300e-09), (56, 2.39942905388285300e-10), (57, 3.36761972474786400e-11), (58, 4.06436863331638740e-12), (59, 4.13325623727090270e-13), (60, 3.44438019772575200e-14), (61, 2.25860996572180440e-15), (62, 1.09287578986538920e-16), (63, 3.46944695195361650e-18), (64, 5.42101086242752600e-20)) AS b(weight, probability);

-- Verified hosts per month, IP version, port, probed version, AS and path category.
CREATE VIEW IF NOT EXISTS census_path_counts AS
SELECT `month`, ip_version, port, probed_version, asn, category, COUNT(*) AS hosts
FROM (
    SELECT p.`month`, p.ip_version, p.port, p.probed_version,
        COALESCE(h.asn, p.asn) AS asn,
        CASE WHEN p.category = 'TRULY_CAPABLE'
                AND h.classification IN ('SUSPECT_KEY', 'MIRRORED')
            THEN 'MIDDLEBOX_AFFECTED' ELSE p.category END AS category
    FROM census_paths p
    LEFT JOIN census_hosts h ON h.`month` = p.`month` AND h.host = p.host
        AND h.port = p.port AND h.probed_version = p.probed_version
) verified
GROUP BY `month`, ip_version, port, probed_version, asn, category;

-- Each host whose final classification is CANDIDATE and whose path is TRULY_CAPABLE, per month, port and probed version.
CREATE VIEW IF NOT EXISTS census_truly_capable AS
SELECT h.`month`, h.host, h.port, h.probed_version, h.ip_version, h.asn, h.country,
    COALESCE(c.consistent, FALSE) AS consistent
FROM census_hosts h
JOIN census_paths p ON p.`month` = h.`month` AND p.host = h.host
    AND p.port = h.port AND p.probed_version = h.probed_version
LEFT JOIN census_consistency c ON c.`month` = h.`month` AND c.host = h.host
    AND c.port = h.port AND c.probed_version = h.probed_version
WHERE h.classification = 'CANDIDATE' AND p.category = 'TRULY_CAPABLE';

-- True support: each truly capable host that was a candidate in every month of its consistency window.
CREATE VIEW IF NOT EXISTS census_true_support AS
SELECT `month`, host, port, probed_version, ip_version, asn, country
FROM census_truly_capable
WHERE consistent;
