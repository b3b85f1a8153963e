package org.mpcensus.job.sink;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.util.function.SerializableFunction;
import org.mpcensus.probe.event.CaptureTime;
import org.mpcensus.probe.event.DeadLetter;
import org.mpcensus.udf.aggregate.CountKey;
import org.mpcensus.udf.aggregate.CountRow;
import org.mpcensus.udf.host.HostKey;
import org.mpcensus.udf.host.HostRow;
import org.mpcensus.udf.keys.KeyTestRow;
import org.mpcensus.udf.keys.KeyWeightKey;
import org.mpcensus.udf.overlap.OverlapKey;
import org.mpcensus.udf.overlap.OverlapRow;
import org.mpcensus.udf.window.ConsistencyRow;

/**
 * The census tables: their columns and keys, DDL for each dialect, the idempotent upserts that
 * write them, and each row's values in column order (for statements and for Kafka topics).
 * Timestamps are UTC; "none" is NULL.
 *
 * <ul>
 *   <li>{@code census_counts}: per (month, ip_version, port, probed_version, asn, classification),
 *       distinct hosts whose latest reply has that classification, and replies so classified.
 *   <li>{@code census_hosts}: per (month, host, port, probed_version), the latest classification,
 *       key and weight, replies, first and last seen.
 *   <li>{@code dead_letters}: per (source, location), the reason and the raw input.
 *   <li>{@code census_consistency}: per (month, host, port, probed_version), candidate months in
 *       the window ending that month, consistent and transient.
 *   <li>{@code census_key_tests}: per (month, ip_version, port, probed_version, asn), the
 *       key-weight histogram of candidate and suspect hosts and its test against random keys.
 *   <li>{@code census_overlap}: per (month, ip_version, port, probed_version, asn, measure,
 *       category), candidate hosts in a port-overlap, version-overlap or migration category; the
 *       column a measure does not split by is -1. A row whose count drops to zero is deleted, so
 *       the table holds the same rows whatever order the input came in.
 * </ul>
 */
public final class CensusTables {
    private CensusTables() {}

    /**
     * One table: name, columns with their SQL types, primary key, and how rows map to it.
     *
     * @param name the table name
     * @param columns column definitions ({@code name TYPE [NOT NULL]}); {@code BYTES} is the
     *     dialect's binary type
     * @param key the primary-key columns
     * @param keyOf the primary key of a row (equal for rows that upsert the same table row)
     * @param values a row's values in column order: Short, Integer, Long, Double, Boolean, String,
     *     byte[], LocalDateTime (UTC) or null
     * @param goneColumn for tables of counts whose rows go when they reach zero: the count column;
     *     null for tables whose rows stay
     * @param gone whether a row is gone (its count is zero); null when {@code goneColumn} is
     * @param <T> the row type
     */
    public record Table<T>(
            String name,
            List<String> columns,
            List<String> key,
            SerializableFunction<T, Object> keyOf,
            SerializableFunction<T, Object[]> values,
            String goneColumn,
            SerializableFunction<T, Boolean> gone)
            implements Serializable {

        /** A table whose rows stay once written. */
        public Table(
                String name,
                List<String> columns,
                List<String> key,
                SerializableFunction<T, Object> keyOf,
                SerializableFunction<T, Object[]> values) {
            this(name, columns, key, keyOf, values, null, null);
        }

        /** Whether rows of this table can go (a count reaching zero deletes its row). */
        public boolean deletes() {
            return gone != null;
        }

        public List<String> columnNames() {
            return columns.stream().map(c -> c.split(" ")[0]).toList();
        }

        /** The SQL type of a column ({@code VARCHAR(7)} is VARCHAR). */
        public String sqlType(int column) {
            String t = columns.get(column).split(" ")[1];
            int paren = t.indexOf('(');
            return paren < 0 ? t : t.substring(0, paren);
        }

        /** Binds a row's values to the parameters {@code first .. first + columns - 1}. */
        public void bind(PreparedStatement ps, int first, T row) throws SQLException {
            Object[] v = values.apply(row);
            for (int c = 0; c < v.length; c++) {
                int i = first + c;
                Object o = v[c];
                if (o == null) {
                    ps.setNull(i, jdbcType(sqlType(c)));
                } else if (o instanceof Short x) {
                    ps.setShort(i, x);
                } else if (o instanceof Integer x) {
                    ps.setInt(i, x);
                } else if (o instanceof Long x) {
                    ps.setLong(i, x);
                } else if (o instanceof Double x) {
                    ps.setDouble(i, x);
                } else if (o instanceof Boolean x) {
                    ps.setBoolean(i, x);
                } else if (o instanceof String x) {
                    ps.setString(i, x);
                } else if (o instanceof byte[] x) {
                    ps.setBytes(i, x);
                } else {
                    ps.setObject(i, o);
                }
            }
        }

        private static int jdbcType(String sqlType) {
            return switch (sqlType) {
                case "SMALLINT" -> Types.SMALLINT;
                case "INTEGER" -> Types.INTEGER;
                case "BIGINT" -> Types.BIGINT;
                case "FLOAT8" -> Types.DOUBLE;
                case "BOOLEAN" -> Types.BOOLEAN;
                case "TIMESTAMP" -> Types.TIMESTAMP;
                case "BYTES" -> Types.BINARY;
                default -> Types.VARCHAR;
            };
        }

        public String ddl(CensusDatabase.Dialect dialect) {
            List<String> defs = new ArrayList<>();
            for (String c : columns) {
                defs.add(c.replace(" BYTES", " " + dialect.bytesType));
            }
            return "CREATE TABLE IF NOT EXISTS "
                    + name
                    + " ("
                    + String.join(", ", defs)
                    + ", PRIMARY KEY ("
                    + String.join(", ", key)
                    + "))";
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
                    columnNames().stream()
                            .map(n -> "?")
                            .collect(Collectors.joining(", ", "(", ")"));
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

        /** Deletes the rows with the keys of {@code rows} bound rows (all columns bound). */
        public String delete(int rows) {
            return "DELETE FROM " + name + " USING " + values(rows) + " WHERE " + keyMatch();
        }

        /**
         * One PostgreSQL statement that deletes the bound row when it is gone and upserts it
         * otherwise; the row is bound twice, at 1 and at {@code columns().size() + 1}.
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

    /** Columns of the tables kept per (month, IP version, port, probed version, AS). */
    private static final List<String> SCOPE_COLUMNS =
            List.of(
                    "month VARCHAR(7) NOT NULL",
                    "ip_version SMALLINT NOT NULL",
                    "port INTEGER NOT NULL",
                    "probed_version SMALLINT NOT NULL",
                    "asn BIGINT NOT NULL");

    private static final List<String> SCOPE_KEY =
            List.of("month", "ip_version", "port", "probed_version", "asn");

    /** Columns of the tables kept per host and month. */
    private static final List<String> HOST_COLUMNS =
            List.of(
                    "month VARCHAR(7) NOT NULL",
                    "host VARCHAR(45) NOT NULL",
                    "port INTEGER NOT NULL",
                    "probed_version SMALLINT NOT NULL");

    private static final List<String> HOST_KEY = List.of("month", "host", "port", "probed_version");

    private static List<String> columns(List<String> leading, String... rest) {
        List<String> all = new ArrayList<>(leading);
        all.addAll(List.of(rest));
        return List.copyOf(all);
    }

    /** Values of the scope columns followed by more values. */
    private static Object[] scope(
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
    private static Object[] host(String month, String host, int port, int version, Object... rest) {
        Object[] v = new Object[4 + rest.length];
        v[0] = month;
        v[1] = host;
        v[2] = port;
        v[3] = (short) version;
        System.arraycopy(rest, 0, v, 4, rest.length);
        return v;
    }

    public static final Table<CountRow> COUNTS =
            new Table<>(
                    "census_counts",
                    columns(
                            SCOPE_COLUMNS,
                            "classification VARCHAR(16) NOT NULL",
                            "hosts BIGINT NOT NULL",
                            "replies BIGINT NOT NULL"),
                    columns(SCOPE_KEY, "classification"),
                    CountRow::key,
                    r -> {
                        CountKey k = r.key();
                        return scope(
                                k.month(),
                                k.ipVersion(),
                                k.port(),
                                k.probedVersion(),
                                k.asn(),
                                k.classification().name(),
                                r.hosts(),
                                r.replies());
                    });

    public static final Table<HostRow> HOSTS =
            new Table<>(
                    "census_hosts",
                    columns(
                            HOST_COLUMNS,
                            "ip_version SMALLINT NOT NULL",
                            "asn BIGINT NOT NULL",
                            "classification VARCHAR(16) NOT NULL",
                            "mptcp_version SMALLINT",
                            "sender_key VARCHAR(16)",
                            "key_weight SMALLINT",
                            "replies BIGINT NOT NULL",
                            "first_seen TIMESTAMP NOT NULL",
                            "last_seen TIMESTAMP NOT NULL",
                            "duplicate_key BOOLEAN NOT NULL",
                            "country VARCHAR(2)"),
                    HOST_KEY,
                    r -> new HostKey(r.month(), r.host(), r.port(), r.probedVersion()),
                    r ->
                            host(
                                    r.month(),
                                    r.host(),
                                    r.port(),
                                    r.probedVersion(),
                                    (short) r.ipVersion(),
                                    r.asn(),
                                    r.classification().name(),
                                    shortOrNull(r.mptcpVersion()),
                                    r.senderKey(),
                                    shortOrNull(r.keyWeight()),
                                    r.replies(),
                                    utc(r.firstSeenMicros()),
                                    utc(r.lastSeenMicros()),
                                    r.duplicateKey(),
                                    r.country()));

    public static final Table<DeadLetter> DEAD_LETTERS =
            new Table<>(
                    "dead_letters",
                    List.of(
                            "source VARCHAR(1024) NOT NULL",
                            "location VARCHAR(256) NOT NULL",
                            "reason VARCHAR(4096) NOT NULL",
                            "raw BYTES",
                            "capture_time TIMESTAMP"),
                    List.of("source", "location"),
                    d -> d.source() + '\n' + d.location(),
                    d ->
                            new Object[] {
                                d.source(),
                                d.location(),
                                d.reason(),
                                d.raw(),
                                d.captureTimeMicros() < 0 ? null : utc(d.captureTimeMicros())
                            });

    public static final Table<ConsistencyRow> CONSISTENCY =
            new Table<>(
                    "census_consistency",
                    columns(
                            HOST_COLUMNS,
                            "ip_version SMALLINT NOT NULL",
                            "asn BIGINT NOT NULL",
                            "candidate BOOLEAN NOT NULL",
                            "candidate_months SMALLINT NOT NULL",
                            "window_months SMALLINT NOT NULL",
                            "consistent BOOLEAN NOT NULL",
                            "is_transient BOOLEAN NOT NULL"),
                    HOST_KEY,
                    r -> new HostKey(r.month(), r.host(), r.port(), r.probedVersion()),
                    r ->
                            host(
                                    r.month(),
                                    r.host(),
                                    r.port(),
                                    r.probedVersion(),
                                    (short) r.ipVersion(),
                                    r.asn(),
                                    r.candidate(),
                                    (short) r.candidateMonths(),
                                    (short) r.window(),
                                    r.consistent(),
                                    r.transientHost()));

    public static final Table<KeyTestRow> KEY_TESTS =
            new Table<>(
                    "census_key_tests",
                    columns(
                            SCOPE_COLUMNS,
                            "keys BIGINT NOT NULL",
                            "p_value FLOAT8 NOT NULL",
                            "flagged BOOLEAN NOT NULL",
                            "weights VARCHAR(1024) NOT NULL"),
                    SCOPE_KEY,
                    KeyTestRow::key,
                    r -> {
                        KeyWeightKey k = r.key();
                        return scope(
                                k.month(),
                                k.ipVersion(),
                                k.port(),
                                k.probedVersion(),
                                k.asn(),
                                r.keys(),
                                r.pValue(),
                                r.flagged(),
                                r.weightsText());
                    });

    public static final Table<OverlapRow> OVERLAP =
            new Table<>(
                    "census_overlap",
                    columns(
                            SCOPE_COLUMNS,
                            "measure VARCHAR(16) NOT NULL",
                            "category VARCHAR(32) NOT NULL",
                            "hosts BIGINT NOT NULL"),
                    columns(SCOPE_KEY, "measure", "category"),
                    OverlapRow::key,
                    r -> {
                        OverlapKey k = r.key();
                        return scope(
                                k.month(),
                                k.ipVersion(),
                                k.port(),
                                k.probedVersion(),
                                k.asn(),
                                k.measure().name(),
                                k.category(),
                                r.hosts());
                    },
                    "hosts",
                    r -> r.hosts() == 0);

    /**
     * {@code census_runs}: one row per run that wrote the census: its command, inputs and options,
     * start and end, status ({@code complete} for a bounded run, whose row appears together with
     * its results; {@code running}, then {@code stopped} or {@code failed}, for a continuous one),
     * replies, dead letters and late replies.
     */
    public static final Table<RunRow> RUNS =
            new Table<>(
                    "census_runs",
                    List.of(
                            "run_id VARCHAR(64) NOT NULL",
                            "command VARCHAR(32) NOT NULL",
                            "inputs VARCHAR(4096)",
                            "options VARCHAR(4096)",
                            "started TIMESTAMP NOT NULL",
                            "ended TIMESTAMP",
                            "status VARCHAR(16) NOT NULL",
                            "replies BIGINT",
                            "dead_letters BIGINT",
                            "late_replies BIGINT"),
                    List.of("run_id"),
                    RunRow::runId,
                    r ->
                            new Object[] {
                                r.runId(),
                                r.command(),
                                r.inputs(),
                                r.options(),
                                utc(r.startedMicros()),
                                r.endedMicros() < 0 ? null : utc(r.endedMicros()),
                                r.status(),
                                r.replies() < 0 ? null : r.replies(),
                                r.deadLetters() < 0 ? null : r.deadLetters(),
                                r.lateReplies() < 0 ? null : r.lateReplies()
                            });

    /** The census tables and {@link #RUNS}: everything a run writes. */
    public static final List<Table<?>> WITH_RUNS =
            List.of(COUNTS, HOSTS, DEAD_LETTERS, CONSISTENCY, KEY_TESTS, OVERLAP, RUNS);

    /** Every census table (without {@link #RUNS}), in creation order. */
    public static final List<Table<?>> ALL =
            List.of(COUNTS, HOSTS, DEAD_LETTERS, CONSISTENCY, KEY_TESTS, OVERLAP);

    private static Short shortOrNull(int v) {
        return v < 0 ? null : (short) v;
    }

    private static LocalDateTime utc(long micros) {
        return LocalDateTime.ofInstant(CaptureTime.toInstant(micros), ZoneOffset.UTC);
    }
}
