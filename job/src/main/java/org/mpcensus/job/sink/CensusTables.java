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
import org.mpcensus.udf.aggregate.HostKey;
import org.mpcensus.udf.aggregate.HostRow;
import org.mpcensus.udf.keys.KeyTestRow;
import org.mpcensus.udf.keys.KeyWeightKey;
import org.mpcensus.udf.overlap.OverlapKey;
import org.mpcensus.udf.overlap.OverlapRow;
import org.mpcensus.udf.window.ConsistencyRow;

/**
 * The census tables: their columns and keys, DDL for each dialect, the idempotent upserts that
 * write them, and the binders of rows to statement parameters. Timestamps are UTC; "none" is SQL
 * NULL.
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

    /** Binds one row to the parameters {@code first .. first + columns - 1} of a statement. */
    @FunctionalInterface
    public interface RowBinder<T> extends Serializable {
        void bind(PreparedStatement ps, int first, T row) throws SQLException;
    }

    /**
     * One table: name, columns with their SQL types, primary key, and how rows map to it.
     *
     * @param name the table name
     * @param columns column definitions ({@code name TYPE [NOT NULL]}); {@code BYTES} is the
     *     dialect's binary type
     * @param key the primary-key columns
     * @param keyOf the primary key of a row (equal for rows that upsert the same table row)
     * @param binder binds a row's values in column order
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
            RowBinder<T> binder,
            String goneColumn,
            SerializableFunction<T, Boolean> gone)
            implements Serializable {

        /** A table whose rows stay once written. */
        public Table(
                String name,
                List<String> columns,
                List<String> key,
                SerializableFunction<T, Object> keyOf,
                RowBinder<T> binder) {
            this(name, columns, key, keyOf, binder, null, null);
        }

        /** Whether rows of this table can go (a count reaching zero deletes its row). */
        public boolean deletes() {
            return gone != null;
        }

        public List<String> columnNames() {
            return columns.stream().map(c -> c.split(" ")[0]).toList();
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

    private static void bindScope(
            PreparedStatement ps,
            int i,
            String month,
            int ipVersion,
            int port,
            int version,
            long asn)
            throws SQLException {
        ps.setString(i, month);
        ps.setShort(i + 1, (short) ipVersion);
        ps.setInt(i + 2, port);
        ps.setShort(i + 3, (short) version);
        ps.setLong(i + 4, asn);
    }

    private static void bindHost(
            PreparedStatement ps, int i, String month, String host, int port, int version)
            throws SQLException {
        ps.setString(i, month);
        ps.setString(i + 1, host);
        ps.setInt(i + 2, port);
        ps.setShort(i + 3, (short) version);
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
                    (ps, i, r) -> {
                        CountKey k = r.key();
                        bindScope(
                                ps,
                                i,
                                k.month(),
                                k.ipVersion(),
                                k.port(),
                                k.probedVersion(),
                                k.asn());
                        ps.setString(i + 5, k.classification().name());
                        ps.setLong(i + 6, r.hosts());
                        ps.setLong(i + 7, r.replies());
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
                    (ps, i, r) -> {
                        bindHost(ps, i, r.month(), r.host(), r.port(), r.probedVersion());
                        ps.setShort(i + 4, (short) r.ipVersion());
                        ps.setLong(i + 5, r.asn());
                        ps.setString(i + 6, r.classification().name());
                        setShortOrNull(ps, i + 7, r.mptcpVersion());
                        if (r.senderKey() == null) {
                            ps.setNull(i + 8, Types.VARCHAR);
                        } else {
                            ps.setString(i + 8, r.senderKey());
                        }
                        setShortOrNull(ps, i + 9, r.keyWeight());
                        ps.setLong(i + 10, r.replies());
                        ps.setObject(i + 11, utc(r.firstSeenMicros()));
                        ps.setObject(i + 12, utc(r.lastSeenMicros()));
                        ps.setBoolean(i + 13, r.duplicateKey());
                        if (r.country() == null) {
                            ps.setNull(i + 14, Types.VARCHAR);
                        } else {
                            ps.setString(i + 14, r.country());
                        }
                    });

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
                    (ps, i, d) -> {
                        ps.setString(i, d.source());
                        ps.setString(i + 1, d.location());
                        ps.setString(i + 2, d.reason());
                        ps.setBytes(i + 3, d.raw());
                        if (d.captureTimeMicros() < 0) {
                            ps.setNull(i + 4, Types.TIMESTAMP);
                        } else {
                            ps.setObject(i + 4, utc(d.captureTimeMicros()));
                        }
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
                    (ps, i, r) -> {
                        bindHost(ps, i, r.month(), r.host(), r.port(), r.probedVersion());
                        ps.setShort(i + 4, (short) r.ipVersion());
                        ps.setLong(i + 5, r.asn());
                        ps.setBoolean(i + 6, r.candidate());
                        ps.setShort(i + 7, (short) r.candidateMonths());
                        ps.setShort(i + 8, (short) r.window());
                        ps.setBoolean(i + 9, r.consistent());
                        ps.setBoolean(i + 10, r.transientHost());
                    });

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
                    (ps, i, r) -> {
                        KeyWeightKey k = r.key();
                        bindScope(
                                ps,
                                i,
                                k.month(),
                                k.ipVersion(),
                                k.port(),
                                k.probedVersion(),
                                k.asn());
                        ps.setLong(i + 5, r.keys());
                        ps.setDouble(i + 6, r.pValue());
                        ps.setBoolean(i + 7, r.flagged());
                        ps.setString(i + 8, r.weightsText());
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
                    (ps, i, r) -> {
                        OverlapKey k = r.key();
                        bindScope(
                                ps,
                                i,
                                k.month(),
                                k.ipVersion(),
                                k.port(),
                                k.probedVersion(),
                                k.asn());
                        ps.setString(i + 5, k.measure().name());
                        ps.setString(i + 6, k.category());
                        ps.setLong(i + 7, r.hosts());
                    },
                    "hosts",
                    r -> r.hosts() == 0);

    /** Every table, in creation order. */
    public static final List<Table<?>> ALL =
            List.of(COUNTS, HOSTS, DEAD_LETTERS, CONSISTENCY, KEY_TESTS, OVERLAP);

    private static void setShortOrNull(PreparedStatement ps, int i, int v) throws SQLException {
        if (v < 0) {
            ps.setNull(i, Types.SMALLINT);
        } else {
            ps.setShort(i, (short) v);
        }
    }

    private static LocalDateTime utc(long micros) {
        return LocalDateTime.ofInstant(CaptureTime.toInstant(micros), ZoneOffset.UTC);
    }
}
