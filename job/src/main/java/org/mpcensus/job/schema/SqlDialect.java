package org.mpcensus.job.schema;

/** The SQL dialects the census tables are declared in. */
public enum SqlDialect {
    /** An embedded DuckDB file. */
    DUCKDB,
    /** PostgreSQL. */
    POSTGRES,
    /** Flink SQL (the upsert-Kafka tables). */
    FLINK
}
