package org.mpcensus.job.schema;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.mpcensus.probe.event.CaptureTime;

/**
 * The columns that many census tables share (the scope, the host of a month), and the conversions
 * of values into column values, for the tables of the census and of its features.
 */
public final class CensusColumns {
    private CensusColumns() {}

    /** Columns of the tables kept per (month, IP version, port, probed version, AS). */
    public static final List<Column> SCOPE_COLUMNS =
            List.of(
                    Column.text("month", 7).notNull(),
                    Column.of("ip_version", ColumnType.SMALLINT).notNull(),
                    Column.of("port", ColumnType.INTEGER).notNull(),
                    Column.of("probed_version", ColumnType.SMALLINT).notNull(),
                    Column.of("asn", ColumnType.BIGINT).notNull());

    /** The key of the tables kept per (month, IP version, port, probed version, AS). */
    public static final List<String> SCOPE_KEY =
            List.of("month", "ip_version", "port", "probed_version", "asn");

    /** Columns of the tables kept per host and month. */
    public static final List<Column> HOST_COLUMNS =
            List.of(
                    Column.text("month", 7).notNull(),
                    Column.text("host", 45).notNull(),
                    Column.of("port", ColumnType.INTEGER).notNull(),
                    Column.of("probed_version", ColumnType.SMALLINT).notNull());

    /** The key of the tables kept per host and month. */
    public static final List<String> HOST_KEY = List.of("month", "host", "port", "probed_version");

    /** The leading columns (or key names) followed by more. */
    @SafeVarargs
    public static <E> List<E> columns(List<E> leading, E... rest) {
        List<E> all = new ArrayList<>(leading);
        all.addAll(List.of(rest));
        return List.copyOf(all);
    }

    /** Values of the scope columns followed by more values. */
    public static Object[] scope(
            String month, int ipVersion, int port, int version, long asn, Object... rest) {
        Object[] v = new Object[5 + rest.length];
        v[0] = month;
        v[1] = (short) ipVersion;
        v[2] = port;
        v[3] = (short) version;
        v[4] = asn;
        System.arraycopy(rest, 0, v, 5, rest.length);
        return v;
    }

    /** Values of the host columns followed by more values. */
    public static Object[] host(String month, String host, int port, int version, Object... rest) {
        Object[] v = new Object[4 + rest.length];
        v[0] = month;
        v[1] = host;
        v[2] = port;
        v[3] = (short) version;
        System.arraycopy(rest, 0, v, 4, rest.length);
        return v;
    }

    /** Text cut to a column's width (null stays null). */
    public static String cut(String s, int width) {
        return s == null || s.length() <= width ? s : s.substring(0, width);
    }

    /** A SMALLINT value, null for a negative one ("none"). */
    public static Short shortOrNull(int v) {
        return v < 0 ? null : (short) v;
    }

    /** A TIMESTAMP value (UTC) of microseconds since the epoch. */
    public static LocalDateTime utc(long micros) {
        return LocalDateTime.ofInstant(CaptureTime.toInstant(micros), ZoneOffset.UTC);
    }
}
