package org.mpcensus.job.schema;

import java.io.Serializable;
import java.time.LocalDateTime;
import org.apache.flink.util.function.SerializableFunction;
import org.mpcensus.probe.event.CaptureTime;

/**
 * A typed column of a census table whose rows are {@code T}: its name, its type, and how a row
 * gives its value, already in the type's Java class ({@link ColumnType}). Text is cut to the
 * column's width here and nowhere else; "none" (a negative count, time or version, a NaN) is NULL.
 *
 * @param name the column name
 * @param type its type
 * @param length the longest text of a TEXT column (0 for the others)
 * @param nullable whether a row may have no value (NULL)
 * @param key whether the column is part of the table's primary key (never NULL)
 * @param value a row's value, of the type's Java class, or null
 * @param <T> the row type
 */
public record Column<T>(
        String name,
        ColumnType type,
        int length,
        boolean nullable,
        boolean key,
        SerializableFunction<T, Object> value)
        implements Serializable {

    /** A SMALLINT of a number. */
    public static <T> Column<T> smallint(String name, SerializableFunction<T, Integer> v) {
        return of(name, ColumnType.SMALLINT, r -> v.apply(r).shortValue());
    }

    /** A SMALLINT of a number, NULL where it is negative (none). */
    public static <T> Column<T> smallintOrNone(String name, SerializableFunction<T, Integer> v) {
        return of(
                name,
                ColumnType.SMALLINT,
                r -> {
                    int n = v.apply(r);
                    return n < 0 ? null : (short) n;
                });
    }

    /** An INTEGER. */
    public static <T> Column<T> integer(String name, SerializableFunction<T, Integer> v) {
        return of(name, ColumnType.INTEGER, v::apply);
    }

    /** A BIGINT. */
    public static <T> Column<T> bigint(String name, SerializableFunction<T, Long> v) {
        return of(name, ColumnType.BIGINT, v::apply);
    }

    /** A BIGINT, NULL where it is negative (none). */
    public static <T> Column<T> bigintOrNone(String name, SerializableFunction<T, Long> v) {
        return of(
                name,
                ColumnType.BIGINT,
                r -> {
                    long n = v.apply(r);
                    return n < 0 ? null : n;
                });
    }

    /** A DOUBLE, NULL where it is null or NaN (none). */
    public static <T> Column<T> real(String name, SerializableFunction<T, Double> v) {
        return of(
                name,
                ColumnType.DOUBLE,
                r -> {
                    Double d = v.apply(r);
                    return d == null || d.isNaN() ? null : d;
                });
    }

    /** A BOOLEAN. */
    public static <T> Column<T> bool(String name, SerializableFunction<T, Boolean> v) {
        return of(name, ColumnType.BOOLEAN, v::apply);
    }

    /** TEXT of at most {@code width} characters: longer text is cut to it. */
    public static <T> Column<T> text(String name, int width, SerializableFunction<T, String> v) {
        return new Column<>(
                name,
                ColumnType.TEXT,
                width,
                true,
                false,
                r -> {
                    String s = v.apply(r);
                    return s == null || s.length() <= width ? s : s.substring(0, width);
                });
    }

    /** The name of an enum constant, as TEXT of at most {@code width} characters. */
    public static <T> Column<T> label(
            String name, int width, SerializableFunction<T, ? extends Enum<?>> v) {
        return text(
                name,
                width,
                r -> {
                    Enum<?> e = v.apply(r);
                    return e == null ? null : e.name();
                });
    }

    /** A TIMESTAMP (UTC) of microseconds since the epoch. */
    public static <T> Column<T> timestamp(String name, SerializableFunction<T, Long> micros) {
        return of(name, ColumnType.TIMESTAMP, r -> utc(micros.apply(r)));
    }

    /** A TIMESTAMP (UTC) of microseconds since the epoch, NULL where they are negative (none). */
    public static <T> Column<T> timestampOrNone(String name, SerializableFunction<T, Long> micros) {
        return of(
                name,
                ColumnType.TIMESTAMP,
                r -> {
                    long m = micros.apply(r);
                    return m < 0 ? null : utc(m);
                });
    }

    /** BYTES. */
    public static <T> Column<T> bytes(String name, SerializableFunction<T, byte[]> v) {
        return of(name, ColumnType.BYTES, v::apply);
    }

    private static <T> Column<T> of(
            String name, ColumnType type, SerializableFunction<T, Object> value) {
        return new Column<>(name, type, 0, true, false, value);
    }

    private static LocalDateTime utc(long micros) {
        return CaptureTime.utc(micros);
    }

    /** The same column of a row that holds a {@code T}: the value of its part. */
    public <R> Column<R> of(SerializableFunction<R, T> part) {
        return new Column<>(name, type, length, nullable, key, r -> value.apply(part.apply(r)));
    }

    /** The same column, NOT NULL. */
    public Column<T> notNull() {
        return new Column<>(name, type, length, false, key, value);
    }

    /** The same column, part of the primary key (and so NOT NULL). */
    public Column<T> asKey() {
        return new Column<>(name, type, length, false, true, value);
    }

    /** A row's value: of the type's Java class, or null. */
    public Object valueOf(T row) {
        return value.apply(row);
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
