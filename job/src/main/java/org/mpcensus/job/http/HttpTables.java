package org.mpcensus.job.http;

import static org.mpcensus.job.schema.CensusColumns.columns;
import static org.mpcensus.job.schema.CensusColumns.utc;

import java.util.List;
import org.mpcensus.job.schema.CensusTable;
import org.mpcensus.job.schema.Column;
import org.mpcensus.job.schema.ColumnType;
import org.mpcensus.job.schema.TableSet;
import org.mpcensus.probe.http.HttpTiming;

/** The tables of HTTP(S) timing: {@code census_http} and {@code census_http_deltas}. */
public final class HttpTables implements TableSet {
    /** Columns of the HTTP timing tables: the target. */
    private static final List<Column> HTTP_TARGET_COLUMNS =
            List.of(
                    Column.text("month", 7).notNull(),
                    Column.text("host", 45).notNull(),
                    Column.of("port", ColumnType.INTEGER).notNull(),
                    Column.of("ip_version", ColumnType.SMALLINT).notNull(),
                    Column.of("asn", ColumnType.BIGINT).notNull(),
                    Column.text("country", 2),
                    Column.text("category", 24).notNull());

    /** Values of the target columns followed by more values. */
    private static Object[] target(HttpTarget t, Object... rest) {
        Object[] v = new Object[7 + rest.length];
        v[0] = t.month();
        v[1] = t.host();
        v[2] = t.port();
        v[3] = (short) t.ipVersion();
        v[4] = t.asn();
        v[5] = t.country();
        v[6] = t.category();
        System.arraycopy(rest, 0, v, 7, rest.length);
        return v;
    }

    /** {@code census_http}: each timed HTTP(S) GET, one per run and transport. */
    public static final CensusTable<HttpRow> HTTP =
            new CensusTable<>(
                    "census_http",
                    "Each timed HTTP(S) GET per month, host, port, run and transport (MPTCP or TCP): connect, TLS handshake, first byte and total in ms, whether MPTCP was used, the status or the error.",
                    columns(
                            HTTP_TARGET_COLUMNS,
                            Column.of("run", ColumnType.INTEGER).notNull(),
                            Column.text("transport", 5).notNull(),
                            Column.of("connect_ms", ColumnType.DOUBLE),
                            Column.of("tls_ms", ColumnType.DOUBLE),
                            Column.of("first_byte_ms", ColumnType.DOUBLE),
                            Column.of("total_ms", ColumnType.DOUBLE),
                            Column.of("mptcp_used", ColumnType.BOOLEAN).notNull(),
                            Column.of("status", ColumnType.INTEGER),
                            Column.of("bytes", ColumnType.BIGINT).notNull(),
                            Column.text("error", 64),
                            Column.of("started", ColumnType.TIMESTAMP).notNull()),
                    List.of("month", "host", "port", "run", "transport"),
                    HttpRow::key,
                    r -> {
                        HttpTiming t = r.timing();
                        return target(
                                r.run().target(),
                                r.run().run(),
                                t.transport(),
                                t.connectMs(),
                                t.tlsMs(),
                                t.firstByteMs(),
                                t.totalMs(),
                                t.mptcpUsed(),
                                t.status(),
                                t.bytes(),
                                t.error() == null
                                        ? null
                                        : t.error().substring(0, Math.min(64, t.error().length())),
                                utc(r.startedMicros()));
                    });

    /** {@code census_http_deltas}: per target, its runs and the medians of MPTCP minus TCP. */
    public static final CensusTable<HttpDeltaRow> DELTAS =
            new CensusTable<>(
                    "census_http_deltas",
                    "Per month, host and port: paired runs made, runs with both GETs answered, runs where MPTCP was used, and the medians over runs of MPTCP minus TCP of each time (ms).",
                    columns(
                            HTTP_TARGET_COLUMNS,
                            Column.of("runs", ColumnType.INTEGER).notNull(),
                            Column.of("answered_runs", ColumnType.INTEGER).notNull(),
                            Column.of("mptcp_runs", ColumnType.INTEGER).notNull(),
                            Column.of("connect_delta_ms", ColumnType.DOUBLE),
                            Column.of("tls_delta_ms", ColumnType.DOUBLE),
                            Column.of("first_byte_delta_ms", ColumnType.DOUBLE),
                            Column.of("total_delta_ms", ColumnType.DOUBLE)),
                    List.of("month", "host", "port"),
                    r -> r.target().key(),
                    r ->
                            target(
                                    r.target(),
                                    r.runs(),
                                    r.answeredRuns(),
                                    r.mptcpRuns(),
                                    r.connectDeltaMs(),
                                    r.tlsDeltaMs(),
                                    r.firstByteDeltaMs(),
                                    r.totalDeltaMs()));

    /** Found by {@link java.util.ServiceLoader}; the tables are the constants above. */
    public HttpTables() {}

    @Override
    public Declared declared() {
        return new Declared(20, true, List.of(HTTP, DELTAS), List.of());
    }
}
