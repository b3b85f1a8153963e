-- Init script of the SQL client on the session cluster: the mpcensus jar (functions and connectors), then
-- the output of: mpcensus sql --print-init --kafka mpcensus-kafka-kafka-bootstrap:9092 --table-topics mpcensus.
--   --postgres jdbc:postgresql://mpcensus-postgres:5432/mpcensus (MPCENSUS_DB_USER=mpcensus)
-- @POSTGRES_PASSWORD@ is replaced by the gateway pod's init container with the Secret mpcensus-postgres.
ADD JAR '/opt/flink/usrlib/mpcensus.jar';
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS hamming_weight AS 'org.mpcensus.udf.sql.HammingWeightFunction';
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS mp_capable AS 'org.mpcensus.udf.sql.MpCapableFunction';
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS is_mirrored AS 'org.mpcensus.udf.sql.IsMirroredFunction';
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS asn_of AS 'org.mpcensus.udf.sql.AsnOfFunction';
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS country_of AS 'org.mpcensus.udf.sql.CountryOfFunction';
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS as_name AS 'org.mpcensus.udf.sql.AsNameFunction';
CREATE TABLE IF NOT EXISTS replies (
    v INT,
    ts STRING,
    vantage STRING,
    scan STRING,
    target STRING,
    port INT,
    probed_version INT,
    probe_options STRING,
    type STRING,
    ttl INT,
    ipid INT,
    `window` INT,
    options STRING,
    capture_time AS CAST(REPLACE(REPLACE(ts, 'T', ' '), 'Z', '') AS TIMESTAMP(6)),
    event_time AS CAST(REPLACE(REPLACE(ts, 'T', ' '), 'Z', '') AS TIMESTAMP(3)),
    WATERMARK FOR event_time AS event_time - INTERVAL '1' MINUTE
) WITH (
    'connector' = 'kafka',
    'topic' = 'mpcensus.replies',
    'properties.bootstrap.servers' = 'mpcensus-kafka-kafka-bootstrap:9092',
    'properties.group.id' = 'mpcensus-sql',
    'properties.isolation.level' = 'read_committed',
    'scan.startup.mode' = 'earliest-offset',
    'format' = 'json'
);
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
    'topic' = 'mpcensus.census_counts',
    'properties.bootstrap.servers' = 'mpcensus-kafka-kafka-bootstrap:9092',
    'properties.isolation.level' = 'read_committed',
    'key.format' = 'json',
    'value.format' = 'json'
);
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
    'topic' = 'mpcensus.census_hosts',
    'properties.bootstrap.servers' = 'mpcensus-kafka-kafka-bootstrap:9092',
    'properties.isolation.level' = 'read_committed',
    'key.format' = 'json',
    'value.format' = 'json'
);
CREATE TABLE IF NOT EXISTS dead_letters (
    `source` STRING,
    `location` STRING,
    `reason` STRING,
    `raw` BYTES,
    `capture_time` TIMESTAMP(6),
    PRIMARY KEY (`source`, `location`) NOT ENFORCED
) WITH (
    'connector' = 'upsert-kafka',
    'topic' = 'mpcensus.dead_letters',
    'properties.bootstrap.servers' = 'mpcensus-kafka-kafka-bootstrap:9092',
    'properties.isolation.level' = 'read_committed',
    'key.format' = 'json',
    'value.format' = 'json'
);
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
    'topic' = 'mpcensus.census_consistency',
    'properties.bootstrap.servers' = 'mpcensus-kafka-kafka-bootstrap:9092',
    'properties.isolation.level' = 'read_committed',
    'key.format' = 'json',
    'value.format' = 'json'
);
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
    'topic' = 'mpcensus.census_key_tests',
    'properties.bootstrap.servers' = 'mpcensus-kafka-kafka-bootstrap:9092',
    'properties.isolation.level' = 'read_committed',
    'key.format' = 'json',
    'value.format' = 'json'
);
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
    'topic' = 'mpcensus.census_overlap',
    'properties.bootstrap.servers' = 'mpcensus-kafka-kafka-bootstrap:9092',
    'properties.isolation.level' = 'read_committed',
    'key.format' = 'json',
    'value.format' = 'json'
);
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
    'topic' = 'mpcensus.census_paths',
    'properties.bootstrap.servers' = 'mpcensus-kafka-kafka-bootstrap:9092',
    'properties.isolation.level' = 'read_committed',
    'key.format' = 'json',
    'value.format' = 'json'
);
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
    'topic' = 'mpcensus.census_http',
    'properties.bootstrap.servers' = 'mpcensus-kafka-kafka-bootstrap:9092',
    'properties.isolation.level' = 'read_committed',
    'key.format' = 'json',
    'value.format' = 'json'
);
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
    'topic' = 'mpcensus.census_http_deltas',
    'properties.bootstrap.servers' = 'mpcensus-kafka-kafka-bootstrap:9092',
    'properties.isolation.level' = 'read_committed',
    'key.format' = 'json',
    'value.format' = 'json'
);
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
CREATE VIEW IF NOT EXISTS census_truly_capable AS
SELECT h.`month`, h.host, h.port, h.probed_version, h.ip_version, h.asn, h.country,
    COALESCE(c.consistent, FALSE) AS consistent
FROM census_hosts h
JOIN census_paths p ON p.`month` = h.`month` AND p.host = h.host
    AND p.port = h.port AND p.probed_version = h.probed_version
LEFT JOIN census_consistency c ON c.`month` = h.`month` AND c.host = h.host
    AND c.port = h.port AND c.probed_version = h.probed_version
WHERE h.classification = 'CANDIDATE' AND p.category = 'TRULY_CAPABLE';
CREATE VIEW IF NOT EXISTS census_true_support AS
SELECT `month`, host, port, probed_version, ip_version, asn, country
FROM census_truly_capable
WHERE consistent;
CREATE CATALOG census WITH (
    'type' = 'jdbc',
    'base-url' = 'jdbc:postgresql://mpcensus-postgres:5432',
    'default-database' = 'mpcensus',
    'username' = 'mpcensus',
    'password' = '@POSTGRES_PASSWORD@'
);
