package org.mpcensus.job.http;

import java.util.List;
import org.apache.flink.util.function.SerializableFunction;
import org.mpcensus.job.schema.CensusTable;
import org.mpcensus.job.schema.Column;
import org.mpcensus.job.schema.TableSet;
import org.mpcensus.udf.scope.HostOfInterest;

/** The tables of HTTP(S) timing: {@code census_http} and {@code census_http_deltas}. */
public final class HttpTables implements TableSet {
    /** The target's columns, month, host and port the key, from its {@link HostOfInterest}. */
    private static <T> List<Column<T>> target(SerializableFunction<T, HostOfInterest> target) {
        List<Column<HostOfInterest>> key =
                List.of(
                        Column.<HostOfInterest>text("month", 7, t -> t.scope().month()).asKey(),
                        Column.text("host", 45, HostOfInterest::host).asKey(),
                        Column.<HostOfInterest>integer("port", t -> t.scope().port()).asKey(),
                        Column.<HostOfInterest>smallint("ip_version", t -> t.scope().ipVersion())
                                .notNull(),
                        Column.<HostOfInterest>bigint("asn", t -> t.scope().asn()).notNull(),
                        Column.text("country", 2, HostOfInterest::country),
                        Column.text("category", 24, HostOfInterest::category).notNull());
        return key.stream().map(c -> c.of(target)).toList();
    }

    /** {@code census_http}: each timed HTTP(S) GET, one per run and transport. */
    public static final CensusTable<HttpRow> HTTP =
            CensusTable.<HttpRow>named(
                            "census_http",
                            "Each timed HTTP(S) GET per month, host, port, run and transport (MPTCP or TCP): connect, TLS handshake, first byte and total in ms, whether MPTCP was used, the status or the error.")
                    .declared(target(r -> r.run().target()))
                    .key(Column.integer("run", r -> r.run().run()))
                    .key(Column.label("transport", 5, r -> r.timing().transport()))
                    .nullable(Column.real("connect_ms", r -> r.timing().connectMs()))
                    .nullable(Column.real("tls_ms", r -> r.timing().tlsMs()))
                    .nullable(Column.real("first_byte_ms", r -> r.timing().firstByteMs()))
                    .nullable(Column.real("total_ms", r -> r.timing().totalMs()))
                    .notNull(Column.bool("mptcp_used", r -> r.timing().mptcpUsed()))
                    .nullable(Column.integer("status", r -> r.timing().status()))
                    .notNull(Column.bigint("bytes", r -> r.timing().bytes()))
                    .nullable(Column.text("error", 64, r -> r.timing().error()))
                    .notNull(Column.timestamp("started", HttpRow::startedMicros))
                    .build();

    /** {@code census_http_deltas}: per target, its runs and the medians of MPTCP minus TCP. */
    public static final CensusTable<HttpDeltaRow> DELTAS =
            CensusTable.<HttpDeltaRow>named(
                            "census_http_deltas",
                            "Per month, host and port: paired runs made, runs with both GETs answered, runs where MPTCP was used, and the medians over runs of MPTCP minus TCP of each time (ms).")
                    .declared(target(HttpDeltaRow::target))
                    .notNull(Column.integer("runs", HttpDeltaRow::runs))
                    .notNull(Column.integer("answered_runs", HttpDeltaRow::answeredRuns))
                    .notNull(Column.integer("mptcp_runs", HttpDeltaRow::mptcpRuns))
                    .nullable(Column.real("connect_delta_ms", HttpDeltaRow::connectDeltaMs))
                    .nullable(Column.real("tls_delta_ms", HttpDeltaRow::tlsDeltaMs))
                    .nullable(Column.real("first_byte_delta_ms", HttpDeltaRow::firstByteDeltaMs))
                    .nullable(Column.real("total_delta_ms", HttpDeltaRow::totalDeltaMs))
                    .build();

    /** Found by {@link java.util.ServiceLoader}; the tables are the constants above. */
    public HttpTables() {}

    @Override
    public Declared declared() {
        return new Declared(20, true, List.of(HTTP, DELTAS), List.of());
    }
}
