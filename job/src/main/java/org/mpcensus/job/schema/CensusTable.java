package org.mpcensus.job.schema;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.util.function.SerializableFunction;

/**
 * One census table, declared once by the feature that writes it: its name, what it holds, and its
 * typed columns ({@link Column}), the primary key among them. Everything about the table derives
 * from this: the DuckDB, PostgreSQL and Flink SQL DDL, the upserts and deletes, JDBC bindings and
 * the JSON of its topic.
 *
 * @param <T> the row type
 */
public final class CensusTable<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final String description;
    private final List<Column<T>> columns;
    private final List<String> key;
    private final String goneColumn;
    private final SerializableFunction<T, Boolean> gone;

    private CensusTable(
            String name,
            String description,
            List<Column<T>> columns,
            String goneColumn,
            SerializableFunction<T, Boolean> gone) {
        this.name = name;
        this.description = description;
        this.columns = List.copyOf(columns);
        this.key = columns.stream().filter(Column::key).map(Column::name).toList();
        this.goneColumn = goneColumn;
        this.gone = gone;
    }

    /** Starts the declaration of a table of rows of type {@code T}. */
    public static <T> Builder<T> named(String name, String description) {
        return new Builder<>(name, description);
    }

    /** The table name. */
    public String name() {
        return name;
    }

    /** What a row is, one line. */
    public String description() {
        return description;
    }

    /** The columns, in order. */
    public List<Column<T>> columns() {
        return columns;
    }

    /** The primary-key columns' names, in column order. */
    public List<String> key() {
        return key;
    }

    /**
     * For tables of counts whose rows go when they reach zero: the count column; null for tables
     * whose rows stay.
     */
    public String goneColumn() {
        return goneColumn;
    }

    /** Whether a row is gone (its count is zero); false for a table whose rows stay. */
    public boolean gone(T row) {
        return gone != null && gone.apply(row);
    }

    /** A row's primary key: equal for rows that upsert the same table row. */
    public List<Object> keyOf(T row) {
        List<Object> k = new ArrayList<>(key.size());
        for (Column<T> c : columns) {
            if (c.key()) {
                k.add(c.valueOf(row));
            }
        }
        return k;
    }

    /** A row's values in column order, each of its column type's Java class or null. */
    public Object[] valuesOf(T row) {
        Object[] v = new Object[columns.size()];
        for (int c = 0; c < v.length; c++) {
            v[c] = columns.get(c).valueOf(row);
        }
        return v;
    }

    /** Whether rows of this table can go (a count reaching zero deletes its row). */
    public boolean deletes() {
        return gone != null;
    }

    /** The columns' names, in order. */
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
                if (gone(row)) {
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
        for (int c = 0; c < columns.size(); c++) {
            Column<T> column = columns.get(c);
            column.type().bind(ps, first + c, column.valueOf(row));
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
        for (Column<T> c : columns) {
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
     * A 64-bit fingerprint of a row's values (as {@link #valuesOf} gives them), equal to {@link
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

    /**
     * The declaration of a table: its columns in order, each a key column, a NOT NULL one or one
     * that may be NULL.
     *
     * @param <T> the row type
     */
    public static final class Builder<T> {
        private final String name;
        private final String description;
        private final List<Column<T>> columns = new ArrayList<>();

        private Builder(String name, String description) {
            this.name = name;
            this.description = description;
        }

        /** A column of the primary key. */
        public Builder<T> key(Column<T> c) {
            columns.add(c.asKey());
            return this;
        }

        /** A column that is never NULL. */
        public Builder<T> notNull(Column<T> c) {
            columns.add(c.notNull());
            return this;
        }

        /** Columns as they are declared (key, NOT NULL or nullable each). */
        public Builder<T> declared(List<Column<T>> cs) {
            columns.addAll(cs);
            return this;
        }

        /** A column that may be NULL. */
        public Builder<T> nullable(Column<T> c) {
            columns.add(c);
            return this;
        }

        /** The table, whose rows stay once written. */
        public CensusTable<T> build() {
            return new CensusTable<>(name, description, columns, null, null);
        }

        /**
         * The table of counts whose rows go when they reach zero: {@code countColumn} is the count,
         * {@code gone} says whether a row's count is zero.
         */
        public CensusTable<T> goneAtZero(
                String countColumn, SerializableFunction<T, Boolean> gone) {
            return new CensusTable<>(name, description, columns, countColumn, gone);
        }
    }
}
