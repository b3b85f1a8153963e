package org.mpcensus.job.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * The type of a census column, and everything that depends on it: its SQL type in each dialect, how
 * a value is bound to a JDBC statement and how it is written as JSON in a table topic. A column's
 * values are of the type's Java class: Short, Integer, Long, Double, Boolean, String, LocalDateTime
 * (UTC) or byte[]; null is SQL NULL.
 */
public enum ColumnType {
    SMALLINT("SMALLINT", "SMALLINT", "SMALLINT", Types.SMALLINT),
    INTEGER("INTEGER", "INTEGER", "INT", Types.INTEGER),
    BIGINT("BIGINT", "BIGINT", "BIGINT", Types.BIGINT),
    DOUBLE("FLOAT8", "FLOAT8", "DOUBLE", Types.DOUBLE),
    BOOLEAN("BOOLEAN", "BOOLEAN", "BOOLEAN", Types.BOOLEAN),
    /** Text of at most the column's length. */
    TEXT("VARCHAR", "VARCHAR", "STRING", Types.VARCHAR),
    TIMESTAMP("TIMESTAMP", "TIMESTAMP", "TIMESTAMP(6)", Types.TIMESTAMP),
    BYTES("BLOB", "BYTEA", "BYTES", Types.BINARY);

    /** Timestamps in JSON as Flink's JSON format reads a {@code TIMESTAMP(6)} (SQL style). */
    private static final DateTimeFormatter JSON_TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private final String duckDb;
    private final String postgres;
    private final String flink;
    private final int jdbcType;

    ColumnType(String duckDb, String postgres, String flink, int jdbcType) {
        this.duckDb = duckDb;
        this.postgres = postgres;
        this.flink = flink;
        this.jdbcType = jdbcType;
    }

    /** The SQL type in a dialect; {@code length} bounds TEXT in DuckDB and PostgreSQL. */
    public String sql(SqlDialect dialect, int length) {
        String t =
                switch (dialect) {
                    case DUCKDB -> duckDb;
                    case POSTGRES -> postgres;
                    case FLINK -> flink;
                };
        return this == TEXT && dialect != SqlDialect.FLINK ? t + "(" + length + ")" : t;
    }

    /** Binds a value (or null) to parameter {@code i}. */
    public void bind(PreparedStatement ps, int i, Object v) throws SQLException {
        if (v == null) {
            ps.setNull(i, jdbcType);
            return;
        }
        switch (this) {
            case SMALLINT -> ps.setShort(i, (Short) v);
            case INTEGER -> ps.setInt(i, (Integer) v);
            case BIGINT -> ps.setLong(i, (Long) v);
            case DOUBLE -> ps.setDouble(i, (Double) v);
            case BOOLEAN -> ps.setBoolean(i, (Boolean) v);
            case TEXT -> ps.setString(i, (String) v);
            case TIMESTAMP -> ps.setObject(i, (LocalDateTime) v);
            case BYTES -> ps.setBytes(i, (byte[]) v);
        }
    }

    /** Puts a value (or null) into a JSON object as Flink's JSON format reads the Flink type. */
    public void putJson(ObjectNode n, String name, Object v) {
        if (v == null) {
            n.putNull(name);
            return;
        }
        switch (this) {
            case SMALLINT -> n.put(name, (Short) v);
            case INTEGER -> n.put(name, (Integer) v);
            case BIGINT -> n.put(name, (Long) v);
            case DOUBLE -> n.put(name, (Double) v);
            case BOOLEAN -> n.put(name, (Boolean) v);
            case TEXT -> n.put(name, (String) v);
            case TIMESTAMP -> n.put(name, JSON_TIMESTAMP.format((LocalDateTime) v));
            case BYTES -> n.put(name, Base64.getEncoder().encodeToString((byte[]) v));
        }
    }
}
