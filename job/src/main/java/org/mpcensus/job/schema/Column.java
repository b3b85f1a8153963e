package org.mpcensus.job.schema;

import java.io.Serializable;

/**
 * A column of a census table.
 *
 * @param name the column name
 * @param type its type
 * @param length the longest text of a TEXT column (0 for the others)
 * @param nullable whether a row may have no value (NULL)
 */
public record Column(String name, ColumnType type, int length, boolean nullable)
        implements Serializable {

    /** A column that may be NULL. */
    public static Column of(String name, ColumnType type) {
        return new Column(name, type, 0, true);
    }

    /** A TEXT column of at most {@code length} characters that may be NULL. */
    public static Column text(String name, int length) {
        return new Column(name, ColumnType.TEXT, length, true);
    }

    /** The same column, NOT NULL. */
    public Column notNull() {
        return new Column(name, type, length, false);
    }

    /** The column's definition in a {@code CREATE TABLE} of a dialect. */
    public String definition(SqlDialect dialect) {
        if (dialect == SqlDialect.FLINK) {
            // Flink's upsert tables: the primary key implies NOT NULL; other columns may be null.
            return "`" + name + "` " + type.sql(dialect, length);
        }
        return name + " " + type.sql(dialect, length) + (nullable ? "" : " NOT NULL");
    }
}
