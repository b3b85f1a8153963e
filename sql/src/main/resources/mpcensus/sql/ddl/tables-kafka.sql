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
