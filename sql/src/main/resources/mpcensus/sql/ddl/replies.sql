-- The raw-reply topic (mpcensus reply JSON, schema v1), in event time: capture time with a watermark.
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
    'topic' = '${replies_topic}',
    'properties.bootstrap.servers' = '${bootstrap}',
    'properties.group.id' = 'mpcensus-sql',
    'properties.isolation.level' = 'read_committed',
    'scan.startup.mode' = 'earliest-offset',
    'format' = 'json'
);
