package org.mpcensus.job.schema;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.util.function.SerializableFunction;

/**
 * One census table, declared once: its name, what it holds, typed columns, primary key and how a
 * row maps to it. Everything about the table derives from this: the DuckDB, PostgreSQL and Flink
 * SQL DDL, the upserts and deletes, JDBC bindings and the JSON of its topic.
 *
 * @param name the table name
 * @param description what a row is, one line
 * @param columns the columns, in order
 * @param key the primary-key columns
 * @param keyOf the primary key of a row (equal for rows that upsert the same table row)
 * @param values a row's values in column order, each of its column type's Java class or null
 * @param goneColumn for tables of counts whose rows go when they reach zero: the count column; null
 *     for tables whose rows stay
 * @param gone whether a row is gone (its count is zero); null when {@code goneColumn} is
 * @param <T> the row type
 */
public record CensusTable<T>(
        String name,
        String description,
        List<Column> columns,
        List<String> key,
        SerializableFunction<T, Object> keyOf,
        SerializableFunction<T, Object[]> values,
        String goneColumn,
        SerializableFunction<T, Boolean> gone)
        implements Serializable {

    /** A table whose rows stay once written. */
    public CensusTable(
            String name,
            String description,
            List<Column> columns,
            List<String> key,
            SerializableFunction<T, Object> keyOf,
            SerializableFunction<T, Object[]> values) {
        this(name, description, columns, key, keyOf, values, null, null);
    }

    /** Whether rows of this table can go (a count reaching zero deletes its row). */
    public boolean deletes() {
        return gone != null;
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    /**
     * Upserts rows over a connection, in batches of 1,000 (a row that {@link #gone()} says has gone
     * is left out); the caller commits.
     */
    public void upsertAll(java.sql.Connection c, List<T> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(upsert(1))) {
            int n = 0;
            for (T row : rows) {
                if (deletes() && gone.apply(row)) {
                    continue;
                }
                bind(ps, 1, row);
                ps.addBatch();
                if (++n % 1000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
    }

    /** Binds a row's values to the parameters {@code first .. first + columns - 1}. */
    public void bind(PreparedStatement ps, int first, T row) throws SQLException {
        Object[] v = values.apply(row);
        for (int c = 0; c < v.length; c++) {
            columns.get(c).type().bind(ps, first + c, v[c]);
        }
    }

    /** The {@code CREATE TABLE IF NOT EXISTS} of a database dialect (DuckDB or PostgreSQL). */
    public String ddl(SqlDialect dialect) {
        return "CREATE TABLE IF NOT EXISTS "
                + name
                + " ("
                + columns.stream().map(c -> c.definition(dialect)).collect(Collectors.joining(", "))
                + ", PRIMARY KEY ("
                + String.join(", ", key)
                + "))";
    }

    /**
     * The Flink SQL table over the table's upsert topic {@code ${table_topic_prefix}<name>} on
     * {@code ${bootstrap}} (JSON key and value; committed transactions only).
     */
    public String flinkDdl() {
        StringBuilder b = new StringBuilder();
        b.append("-- ").append(description).append('\n');
        b.append("CREATE TABLE IF NOT EXISTS ").append(name).append(" (\n");
        for (Column c : columns) {
            b.append("    ").append(c.definition(SqlDialect.FLINK)).append(",\n");
        }
        b.append("    PRIMARY KEY (")
                .append(key.stream().map(k -> "`" + k + "`").collect(Collectors.joining(", ")))
                .append(") NOT ENFORCED\n");
        b.append(") WITH (\n");
        b.append("    'connector' = 'upsert-kafka',\n");
        b.append("    'topic' = '${table_topic_prefix}").append(name).append("',\n");
        b.append("    'properties.bootstrap.servers' = '${bootstrap}',\n");
        b.append("    'properties.isolation.level' = 'read_committed',\n");
        b.append("    'key.format' = 'json',\n");
        b.append("    'value.format' = 'json'\n");
        b.append(");\n");
        return b.toString();
    }

    /** An upsert of {@code rows} rows in one statement. */
    public String upsert(int rows) {
        List<String> names = columnNames();
        String tuple = names.stream().map(n -> "?").collect(Collectors.joining(", ", "(", ")"));
        List<String> updates = new ArrayList<>();
        for (String n : names) {
            if (!key.contains(n)) {
                updates.add(n + " = EXCLUDED." + n);
            }
        }
        return "INSERT INTO "
                + name
                + " ("
                + String.join(", ", names)
                + ") VALUES "
                + String.join(", ", java.util.Collections.nCopies(rows, tuple))
                + " ON CONFLICT ("
                + String.join(", ", key)
                + ") DO UPDATE SET "
                + String.join(", ", updates);
    }

    /** An upsert of every row of another table with the same columns, such as a stage. */
    public String upsertFrom(String source) {
        String upsert = upsert(1);
        return "INSERT INTO "
                + name
                + " SELECT * FROM "
                + source
                + upsert.substring(upsert.indexOf(" ON CONFLICT"));
    }

    /** Deletes the rows whose keys are in another table with the same columns. */
    public String deleteFrom(String source) {
        return "DELETE FROM " + name + " USING " + source + " AS v WHERE " + keyMatch();
    }

    /** {@code (?, ?, ...), ...} for {@code rows} rows, aliased as {@code v(columns)}. */
    private String values(int rows) {
        String tuple =
                columnNames().stream().map(n -> "?").collect(Collectors.joining(", ", "(", ")"));
        return "(VALUES "
                + String.join(", ", java.util.Collections.nCopies(rows, tuple))
                + ") AS v("
                + String.join(", ", columnNames())
                + ")";
    }

    private String keyMatch() {
        return key.stream()
                .map(k -> name + "." + k + " = v." + k)
                .collect(Collectors.joining(" AND "));
    }

    /**
     * A 64-bit fingerprint of a row's values (as {@link #values} gives them), equal to {@link
     * #fingerprint(ResultSet)} of the same row read back from a database: numbers by value,
     * timestamps to the microsecond, text and bytes as they are.
     */
    public long fingerprint(Object[] values) {
        long h = 0xcbf29ce484222325L;
        for (int c = 0; c < values.length; c++) {
            h = mix(h, canonical(columns.get(c).type(), values[c]));
        }
        return h;
    }

    /** The fingerprint of the current row of a {@code SELECT *} of this table. */
    public long fingerprint(java.sql.ResultSet r) throws SQLException {
        long h = 0xcbf29ce484222325L;
        for (int c = 0; c < columns.size(); c++) {
            ColumnType t = columns.get(c).type();
            int i = c + 1;
            Object v =
                    switch (t) {
                        case SMALLINT, INTEGER, BIGINT -> r.getLong(i);
                        case DOUBLE -> r.getDouble(i);
                        case BOOLEAN -> r.getBoolean(i);
                        case TEXT -> r.getString(i);
                        case TIMESTAMP -> r.getObject(i, java.time.LocalDateTime.class);
                        case BYTES -> r.getBytes(i);
                    };
            h = mix(h, r.wasNull() ? null : canonical(t, v));
        }
        return h;
    }

    private static String canonical(ColumnType t, Object v) {
        if (v == null) {
            return null;
        }
        return switch (t) {
            case SMALLINT, INTEGER, BIGINT -> Long.toString(((Number) v).longValue());
            case DOUBLE -> Long.toString(Double.doubleToLongBits(((Number) v).doubleValue()));
            case BYTES -> java.util.HexFormat.of().formatHex((byte[]) v);
            default -> v.toString();
        };
    }

    /** FNV-1a over a value's characters, with a mark for null and one after each value. */
    private static long mix(long h, String v) {
        if (v == null) {
            return (h ^ 0x1_0000L) * 0x100000001b3L;
        }
        for (int i = 0; i < v.length(); i++) {
            h = (h ^ v.charAt(i)) * 0x100000001b3L;
        }
        return (h ^ 0x2_0000L) * 0x100000001b3L;
    }

    /** Deletes the rows with the keys of {@code rows} bound rows (all columns bound). */
    public String delete(int rows) {
        return "DELETE FROM " + name + " USING " + values(rows) + " WHERE " + keyMatch();
    }

    /**
     * One PostgreSQL statement that deletes the bound row when it is gone and upserts it otherwise;
     * the row is bound twice, at 1 and at {@code columns().size() + 1}.
     */
    public String upsertOrDelete() {
        String upsert = upsert(1);
        String conflict = upsert.substring(upsert.indexOf(" ON CONFLICT"));
        return "WITH gone AS (DELETE FROM "
                + name
                + " USING "
                + values(1)
                + " WHERE "
                + keyMatch()
                + " AND v."
                + goneColumn
                + " = 0) INSERT INTO "
                + name
                + " ("
                + String.join(", ", columnNames())
                + ") SELECT * FROM "
                + values(1)
                + " WHERE v."
                + goneColumn
                + " <> 0"
                + conflict;
    }
}
