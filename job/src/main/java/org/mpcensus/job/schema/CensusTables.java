package org.mpcensus.job.schema;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.mpcensus.job.http.HttpDeltaRow;
import org.mpcensus.job.http.HttpRow;
import org.mpcensus.job.http.HttpTarget;
import org.mpcensus.job.path.PathRequest;
import org.mpcensus.job.path.PathRow;
import org.mpcensus.job.traffic.TrafficAppRow;
import org.mpcensus.job.traffic.TrafficShareRow;
import org.mpcensus.job.traffic.TrafficSizeRow;
import org.mpcensus.probe.event.CaptureTime;
import org.mpcensus.probe.event.DeadLetter;
import org.mpcensus.probe.http.HttpTiming;
import org.mpcensus.probe.path.PathResult;
import org.mpcensus.probe.traffic.FlowRecord;
import org.mpcensus.udf.aggregate.CountKey;
import org.mpcensus.udf.aggregate.CountRow;
import org.mpcensus.udf.aggregate.ResponderKey;
import org.mpcensus.udf.classify.ClassifiedReply;
import org.mpcensus.udf.enrich.AsDirectory;
import org.mpcensus.udf.host.HostKey;
import org.mpcensus.udf.host.HostRow;
import org.mpcensus.udf.keys.KeyTestRow;
import org.mpcensus.udf.keys.KeyWeightKey;
import org.mpcensus.udf.overlap.OverlapKey;
import org.mpcensus.udf.overlap.OverlapRow;
import org.mpcensus.udf.window.ConsistencyRow;

/**
 * The census tables, declared once ({@link CensusTable}): the databases' DDL, the upserts, the
 * topics' JSON and the Flink SQL tables over the topics all derive from these. Timestamps are UTC;
 * "none" is NULL.
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
 *   <li>{@code census_paths}: per (month, host, port, probed_version), the verdict of the host's
 *       path verification: category, modifying hop, its address and the modification.
 *   <li>{@code census_path_counts}: per (month, ip_version, port, probed_version, asn, category),
 *       verified hosts.
 *   <li>{@code census_http}: per (month, host, port, run, transport), one timed HTTP(S) GET: the
 *       connect, TLS handshake, first byte and total times, whether MPTCP was used, the status.
 *   <li>{@code census_http_deltas}: per (month, host, port), the target's runs and the medians of
 *       MPTCP minus TCP of each time.
 * </ul>
 */
public final class CensusTables {
    private CensusTables() {}

    /** Columns of the tables kept per (month, IP version, port, probed version, AS). */
    private static final List<Column> SCOPE_COLUMNS =
            List.of(
                    Column.text("month", 7).notNull(),
                    Column.of("ip_version", ColumnType.SMALLINT).notNull(),
                    Column.of("port", ColumnType.INTEGER).notNull(),
                    Column.of("probed_version", ColumnType.SMALLINT).notNull(),
                    Column.of("asn", ColumnType.BIGINT).notNull());

    private static final List<String> SCOPE_KEY =
            List.of("month", "ip_version", "port", "probed_version", "asn");

    /** Columns of the tables kept per host and month. */
    private static final List<Column> HOST_COLUMNS =
            List.of(
                    Column.text("month", 7).notNull(),
                    Column.text("host", 45).notNull(),
                    Column.of("port", ColumnType.INTEGER).notNull(),
                    Column.of("probed_version", ColumnType.SMALLINT).notNull());

    private static final List<String> HOST_KEY = List.of("month", "host", "port", "probed_version");

    /**
     * The flow counts of the traffic tables: TCP flows and bytes, and the MPTCP ones among them.
     */
    private static final List<Column> FLOW_COUNT_COLUMNS =
            List.of(
                    Column.of("tcp_flows", ColumnType.BIGINT).notNull(),
                    Column.of("tcp_bytes", ColumnType.BIGINT).notNull(),
                    Column.of("mptcp_flows", ColumnType.BIGINT).notNull(),
                    Column.of("mptcp_bytes", ColumnType.BIGINT).notNull());

    @SafeVarargs
    private static <E> List<E> columns(List<E> leading, E... rest) {
        List<E> all = new ArrayList<>(leading);
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

    public static final CensusTable<CountRow> COUNTS =
            new CensusTable<>(
                    "census_counts",
                    "Hosts and replies per month, IP version, port, probed version, AS and classification.",
                    columns(
                            SCOPE_COLUMNS,
                            Column.text("classification", 16).notNull(),
                            Column.of("hosts", ColumnType.BIGINT).notNull(),
                            Column.of("replies", ColumnType.BIGINT).notNull()),
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

    public static final CensusTable<HostRow> HOSTS =
            new CensusTable<>(
                    "census_hosts",
                    "Each host per month, port and probed version, with the classification of its latest reply.",
                    columns(
                            HOST_COLUMNS,
                            Column.of("ip_version", ColumnType.SMALLINT).notNull(),
                            Column.of("asn", ColumnType.BIGINT).notNull(),
                            Column.text("classification", 16).notNull(),
                            Column.of("mptcp_version", ColumnType.SMALLINT),
                            Column.text("sender_key", 16),
                            Column.of("key_weight", ColumnType.SMALLINT),
                            Column.of("replies", ColumnType.BIGINT).notNull(),
                            Column.of("first_seen", ColumnType.TIMESTAMP).notNull(),
                            Column.of("last_seen", ColumnType.TIMESTAMP).notNull(),
                            Column.of("duplicate_key", ColumnType.BOOLEAN).notNull(),
                            Column.text("country", 2)),
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

    public static final CensusTable<DeadLetter> DEAD_LETTERS =
            new CensusTable<>(
                    "dead_letters",
                    "Bad input: where it came from, why it was refused, and the raw bytes.",
                    List.of(
                            Column.text("source", 1024).notNull(),
                            Column.text("location", 256).notNull(),
                            Column.text("reason", 4096).notNull(),
                            Column.of("raw", ColumnType.BYTES),
                            Column.of("capture_time", ColumnType.TIMESTAMP)),
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

    public static final CensusTable<ConsistencyRow> CONSISTENCY =
            new CensusTable<>(
                    "census_consistency",
                    "Each host's standing in the consistency window ending each month.",
                    columns(
                            HOST_COLUMNS,
                            Column.of("ip_version", ColumnType.SMALLINT).notNull(),
                            Column.of("asn", ColumnType.BIGINT).notNull(),
                            Column.of("candidate", ColumnType.BOOLEAN).notNull(),
                            Column.of("candidate_months", ColumnType.SMALLINT).notNull(),
                            Column.of("window_months", ColumnType.SMALLINT).notNull(),
                            Column.of("consistent", ColumnType.BOOLEAN).notNull(),
                            Column.of("is_transient", ColumnType.BOOLEAN).notNull()),
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

    public static final CensusTable<KeyTestRow> KEY_TESTS =
            new CensusTable<>(
                    "census_key_tests",
                    "Key-weight histograms and their test against random keys.",
                    columns(
                            SCOPE_COLUMNS,
                            Column.of("keys", ColumnType.BIGINT).notNull(),
                            Column.of("p_value", ColumnType.DOUBLE).notNull(),
                            Column.of("flagged", ColumnType.BOOLEAN).notNull(),
                            Column.text("weights", 1024).notNull()),
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

    public static final CensusTable<OverlapRow> OVERLAP =
            new CensusTable<>(
                    "census_overlap",
                    "Port overlap, version overlap and migration counts.",
                    columns(
                            SCOPE_COLUMNS,
                            Column.text("measure", 16).notNull(),
                            Column.text("category", 32).notNull(),
                            Column.of("hosts", ColumnType.BIGINT).notNull()),
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

    /** {@code census_paths}: each verified host per month, port and version, with its path. */
    public static final CensusTable<PathRow> PATHS =
            new CensusTable<>(
                    "census_paths",
                    "Each verified host per month, port and probed version: its path's category, the hop that changes MP_CAPABLE and how.",
                    columns(
                            HOST_COLUMNS,
                            Column.of("ip_version", ColumnType.SMALLINT).notNull(),
                            Column.of("asn", ColumnType.BIGINT).notNull(),
                            Column.text("country", 2),
                            Column.text("classification", 16).notNull(),
                            Column.text("category", 24).notNull(),
                            Column.of("modifying_hop", ColumnType.SMALLINT),
                            Column.text("hop_address", 45),
                            Column.text("modification", 256),
                            Column.text("other_modifications", 256),
                            Column.of("hops_answered", ColumnType.SMALLINT).notNull(),
                            Column.of("target_hop", ColumnType.SMALLINT),
                            Column.text("answer", 24).notNull(),
                            Column.text("quote_lengths", 256).notNull(),
                            Column.of("first_seen", ColumnType.TIMESTAMP).notNull(),
                            Column.of("last_seen", ColumnType.TIMESTAMP).notNull()),
                    HOST_KEY,
                    r -> r.request().key(),
                    r -> {
                        PathRequest q = r.request();
                        PathResult p = r.result();
                        return host(
                                q.month(),
                                q.host(),
                                q.port(),
                                q.version(),
                                (short) q.ipVersion(),
                                q.asn(),
                                q.country(),
                                q.classification(),
                                p.category(),
                                p.modifyingHop() == 0 ? null : (short) p.modifyingHop(),
                                p.hopAddress(),
                                p.modification(),
                                p.otherModifications(),
                                (short) p.hopsAnswered(),
                                p.targetHop() == 0 ? null : (short) p.targetHop(),
                                p.answer(),
                                p.quoteLengths(),
                                utc(p.startedMicros()),
                                utc(p.endedMicros()));
                    });

    /**
     * {@code census_path_counts}: verified hosts per month, IP version, port, probed version, AS
     * and path category, from every path the census holds. A path's AS is the census's for the host
     * when it has one (a host verified from a list has none of its own); a {@code TRULY_CAPABLE}
     * path of a host whose final classification names a middlebox ({@code SUSPECT_KEY}: a key
     * another address returned or a rewritten one; {@code MIRRORED}) counts as {@code
     * MIDDLEBOX_AFFECTED}: the census saw a middlebox that the path could not.
     */
    public static final CensusView PATH_COUNTS =
            new CensusView(
                    "census_path_counts",
                    "Verified hosts per month, IP version, port, probed version, AS and path category.",
                    """
                    SELECT `month`, ip_version, port, probed_version, asn, category, COUNT(*) AS hosts
                    FROM (
                        SELECT p.`month`, p.ip_version, p.port, p.probed_version,
                            COALESCE(h.asn, p.asn) AS asn,
                            CASE WHEN p.category = 'TRULY_CAPABLE'
                                    AND h.classification IN ('SUSPECT_KEY', 'MIRRORED')
                                THEN 'MIDDLEBOX_AFFECTED' ELSE p.category END AS category
                        FROM census_paths p
                        LEFT JOIN census_hosts h ON h.`month` = p.`month` AND h.host = p.host
                            AND h.port = p.port AND h.probed_version = p.probed_version
                    ) verified
                    GROUP BY `month`, ip_version, port, probed_version, asn, category""");

    /**
     * The hosts the census found {@code CANDIDATE} whose path is {@code TRULY_CAPABLE}, in the
     * month of the path, with whether they were consistent then.
     */
    public static final CensusView TRULY_CAPABLE =
            new CensusView(
                    "census_truly_capable",
                    "Each host whose final classification is CANDIDATE and whose path is TRULY_CAPABLE, per month, port and probed version.",
                    """
                    SELECT h.`month`, h.host, h.port, h.probed_version, h.ip_version, h.asn, h.country,
                        COALESCE(c.consistent, FALSE) AS consistent
                    FROM census_hosts h
                    JOIN census_paths p ON p.`month` = h.`month` AND p.host = h.host
                        AND p.port = h.port AND p.probed_version = h.probed_version
                    LEFT JOIN census_consistency c ON c.`month` = h.`month` AND c.host = h.host
                        AND c.port = h.port AND c.probed_version = h.probed_version
                    WHERE h.classification = 'CANDIDATE' AND p.category = 'TRULY_CAPABLE'""");

    /**
     * The studies' "true support": truly capable hosts (final classification {@code CANDIDATE},
     * path {@code TRULY_CAPABLE}) that were candidates in every month of the consistency window.
     */
    public static final CensusView TRUE_SUPPORT =
            new CensusView(
                    "census_true_support",
                    "True support: each truly capable host that was a candidate in every month of its consistency window.",
                    """
                    SELECT `month`, host, port, probed_version, ip_version, asn, country
                    FROM census_truly_capable
                    WHERE consistent""");

    /** The views, in creation order. */
    public static final List<CensusView> VIEWS = List.of(PATH_COUNTS, TRULY_CAPABLE, TRUE_SUPPORT);

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
    public static final CensusTable<HttpDeltaRow> HTTP_DELTAS =
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

    /**
     * {@code census_as_names}: what the AS files given to {@code mpcensus report} say of the ASes
     * of the census, for dashboards that show names.
     */
    public static final CensusTable<AsDirectory.AsInfo> AS_NAMES =
            new CensusTable<>(
                    "census_as_names",
                    "Per AS of the census: name and organisation, registration country, CAIDA AS Rank and PeeringDB network type, from the files mpcensus report was given.",
                    List.of(
                            Column.of("asn", ColumnType.BIGINT).notNull(),
                            Column.text("name", 256),
                            Column.text("country", 2),
                            Column.of("as_rank", ColumnType.INTEGER),
                            Column.text("network_type", 64)),
                    List.of("asn"),
                    AsDirectory.AsInfo::asn,
                    a ->
                            new Object[] {
                                a.asn(),
                                a.name() == null
                                        ? null
                                        : a.name().substring(0, Math.min(256, a.name().length())),
                                a.country(),
                                a.rank(),
                                a.networkType() == null
                                        ? null
                                        : a.networkType()
                                                .substring(
                                                        0, Math.min(64, a.networkType().length()))
                            });

    /** {@code traffic_flows}: each TCP flow of the traces read by {@code mpcensus traffic}. */
    public static final CensusTable<FlowRecord> TRAFFIC_FLOWS =
            new CensusTable<>(
                    "traffic_flows",
                    "Each bidirectional TCP flow of a trace: endpoints, packets and bytes per direction, MPTCP.",
                    List.of(
                            Column.text("trace", 256).notNull(),
                            Column.text("client", 45).notNull(),
                            Column.of("client_port", ColumnType.INTEGER).notNull(),
                            Column.text("server", 45).notNull(),
                            Column.of("server_port", ColumnType.INTEGER).notNull(),
                            Column.of("first_seen", ColumnType.TIMESTAMP).notNull(),
                            Column.of("last_seen", ColumnType.TIMESTAMP).notNull(),
                            Column.of("ip_version", ColumnType.SMALLINT).notNull(),
                            Column.of("packets_up", ColumnType.BIGINT).notNull(),
                            Column.of("bytes_up", ColumnType.BIGINT).notNull(),
                            Column.of("packets_down", ColumnType.BIGINT).notNull(),
                            Column.of("bytes_down", ColumnType.BIGINT).notNull(),
                            Column.of("mptcp_version", ColumnType.SMALLINT),
                            Column.of("server_token", ColumnType.BIGINT),
                            Column.of("join_token", ColumnType.BIGINT),
                            Column.text("flow_end", 8).notNull()),
                    List.of(
                            "trace",
                            "client",
                            "client_port",
                            "server",
                            "server_port",
                            "first_seen"),
                    f ->
                            f.trace()
                                    + '|'
                                    + f.client()
                                    + '|'
                                    + f.clientPort()
                                    + '|'
                                    + f.server()
                                    + '|'
                                    + f.serverPort()
                                    + '|'
                                    + f.firstMicros(),
                    f ->
                            new Object[] {
                                f.trace(),
                                f.client(),
                                f.clientPort(),
                                f.server(),
                                f.serverPort(),
                                utc(f.firstMicros()),
                                utc(f.lastMicros()),
                                (short) f.ipVersion(),
                                f.packetsUp(),
                                f.bytesUp(),
                                f.packetsDown(),
                                f.bytesDown(),
                                f.mptcpVersion() < 0 ? null : (short) f.mptcpVersion(),
                                f.serverToken() < 0 ? null : f.serverToken(),
                                f.joinToken() < 0 ? null : f.joinToken(),
                                f.end()
                            });

    /**
     * {@code traffic_share}: TCP and MPTCP flows and bytes per trace, time bucket and IP version.
     */
    public static final CensusTable<TrafficShareRow> TRAFFIC_SHARE =
            new CensusTable<>(
                    "traffic_share",
                    "TCP flows and bytes, and how many of them were MPTCP, per trace, time bucket (a day, or the whole capture) and IP version.",
                    columns(
                            columns(
                                    List.of(
                                            Column.text("trace", 256).notNull(),
                                            Column.text("bucket", 10).notNull(),
                                            Column.of("ip_version", ColumnType.SMALLINT).notNull()),
                                    FLOW_COUNT_COLUMNS.toArray(new Column[0])),
                            Column.of("connections", ColumnType.BIGINT).notNull(),
                            Column.of("subflows", ColumnType.BIGINT).notNull(),
                            Column.of("v0_connections", ColumnType.BIGINT).notNull(),
                            Column.of("v1_connections", ColumnType.BIGINT).notNull(),
                            Column.of("tcp_flows_ewma", ColumnType.DOUBLE),
                            Column.of("mptcp_flows_ewma", ColumnType.DOUBLE)),
                    List.of("trace", "bucket", "ip_version"),
                    TrafficShareRow::key,
                    r ->
                            new Object[] {
                                r.trace(),
                                r.bucket(),
                                (short) r.ipVersion(),
                                r.tcpFlows(),
                                r.tcpBytes(),
                                r.mptcpFlows(),
                                r.mptcpBytes(),
                                r.connections(),
                                r.subflows(),
                                r.v0Connections(),
                                r.v1Connections(),
                                Double.isNaN(r.tcpFlowsEwma()) ? null : r.tcpFlowsEwma(),
                                Double.isNaN(r.mptcpFlowsEwma()) ? null : r.mptcpFlowsEwma()
                            });

    /** {@code traffic_sizes}: how a trace's MPTCP bytes are spread over its MPTCP flows. */
    public static final CensusTable<TrafficSizeRow> TRAFFIC_SIZES =
            new CensusTable<>(
                    "traffic_sizes",
                    "Per trace, the share of MPTCP bytes carried by the largest, the 5 largest and the largest half of MPTCP flows.",
                    List.of(
                            Column.text("trace", 256).notNull(),
                            Column.of("mptcp_flows", ColumnType.BIGINT).notNull(),
                            Column.of("mptcp_bytes", ColumnType.BIGINT).notNull(),
                            Column.of("top1_share", ColumnType.DOUBLE).notNull(),
                            Column.of("top5_share", ColumnType.DOUBLE).notNull(),
                            Column.of("top_half_share", ColumnType.DOUBLE).notNull()),
                    List.of("trace"),
                    TrafficSizeRow::trace,
                    r ->
                            new Object[] {
                                r.trace(),
                                r.mptcpFlows(),
                                r.mptcpBytes(),
                                r.top1Share(),
                                r.top5Share(),
                                r.topHalfShare()
                            });

    /** {@code traffic_apps}: TCP and MPTCP flows and bytes per trace and application. */
    public static final CensusTable<TrafficAppRow> TRAFFIC_APPS =
            new CensusTable<>(
                    "traffic_apps",
                    "TCP and MPTCP flows and bytes per trace and application (by server port).",
                    columns(
                            List.of(
                                    Column.text("trace", 256).notNull(),
                                    Column.text("app", 32).notNull()),
                            FLOW_COUNT_COLUMNS.toArray(new Column[0])),
                    List.of("trace", "app"),
                    TrafficAppRow::key,
                    r ->
                            new Object[] {
                                r.trace(),
                                r.app(),
                                r.tcpFlows(),
                                r.tcpBytes(),
                                r.mptcpFlows(),
                                r.mptcpBytes()
                            });

    /**
     * {@code census_runs}: one row per run that wrote the census: its command, inputs and options,
     * start and end, status ({@code complete} for a bounded run, whose row appears together with
     * its results; {@code running}, then {@code stopped} or {@code failed}, for a continuous one),
     * replies, dead letters and late replies.
     */
    public static final CensusTable<RunRow> RUNS =
            new CensusTable<>(
                    "census_runs",
                    "Each run that wrote the census: command, inputs, options, times, status and counts.",
                    List.of(
                            Column.text("run_id", 64).notNull(),
                            Column.text("command", 32).notNull(),
                            Column.text("inputs", 4096),
                            Column.text("options", 4096),
                            Column.of("started", ColumnType.TIMESTAMP).notNull(),
                            Column.of("ended", ColumnType.TIMESTAMP),
                            Column.text("status", 16).notNull(),
                            Column.of("replies", ColumnType.BIGINT),
                            Column.of("dead_letters", ColumnType.BIGINT),
                            Column.of("late_replies", ColumnType.BIGINT)),
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

    /** {@code census_inputs}: the files the census holds, by content. */
    public static final CensusTable<InputRow> INPUTS =
            new CensusTable<>(
                    "census_inputs",
                    "Each file whose content the census holds: its SHA-256, size, path, and the command and run that read it.",
                    List.of(
                            Column.text("sha256", 64).notNull(),
                            Column.of("bytes", ColumnType.BIGINT).notNull(),
                            Column.text("path", 4096).notNull(),
                            Column.text("command", 32).notNull(),
                            Column.text("run_id", 64).notNull(),
                            Column.of("recorded", ColumnType.TIMESTAMP).notNull()),
                    List.of("sha256", "command"),
                    r -> r.sha256() + '|' + r.command(),
                    r ->
                            new Object[] {
                                r.sha256(),
                                r.bytes(),
                                r.path(),
                                r.command(),
                                r.runId(),
                                utc(r.recordedMicros())
                            });

    /** The widest scan id or vantage point {@link #REPLIES} keeps; longer ones are cut. */
    private static final int SOURCE_WIDTH = 1024;

    /**
     * The census's memory of the MPTCP path: every reply whose classification is not {@code
     * NOT_MPTCP}, as classified and enriched when read ({@link ReplyFact}).
     */
    public static final CensusTable<ReplyFact> REPLIES =
            new CensusTable<>(
                    "census_replies",
                    "Each reply of the MPTCP path, classified and enriched as read: what later runs continue from.",
                    columns(
                            HOST_COLUMNS,
                            Column.of("reply_id", ColumnType.BIGINT).notNull(),
                            Column.text("run_id", 64).notNull(),
                            Column.of("capture_time", ColumnType.TIMESTAMP).notNull(),
                            Column.of("ip_version", ColumnType.SMALLINT).notNull(),
                            Column.text("reply_type", 16),
                            Column.text("classification", 16).notNull(),
                            Column.of("mptcp_version", ColumnType.SMALLINT),
                            Column.text("sender_key", 16),
                            Column.of("key_weight", ColumnType.SMALLINT),
                            Column.of("asn", ColumnType.BIGINT).notNull(),
                            Column.text("country", 2),
                            Column.text("vantage", SOURCE_WIDTH),
                            Column.text("scan_id", SOURCE_WIDTH)),
                    columns(HOST_KEY, "reply_id"),
                    f ->
                            f.reply().month()
                                    + ' '
                                    + f.reply().host()
                                    + ' '
                                    + f.reply().port()
                                    + ' '
                                    + f.reply().probedVersion()
                                    + ' '
                                    + f.id(),
                    f -> {
                        ClassifiedReply r = f.reply();
                        return host(
                                r.month(),
                                r.host(),
                                r.port(),
                                r.probedVersion(),
                                f.id(),
                                f.runId(),
                                utc(r.captureTimeMicros()),
                                (short) r.ipVersion(),
                                r.replyType(),
                                r.classification().name(),
                                shortOrNull(r.mptcpVersion()),
                                r.senderKey(),
                                shortOrNull(r.keyWeight()),
                                r.asn(),
                                r.country(),
                                cut(r.vantage(), SOURCE_WIDTH),
                                cut(r.scanId(), SOURCE_WIDTH));
                    });

    /**
     * The census's memory of the plain path: per key and run, the exact set of addresses that sent
     * replies without {@code MP_CAPABLE} (about 2 bytes per address) and their replies ({@link
     * PlainFact}).
     */
    public static final CensusTable<PlainFact> PLAIN =
            new CensusTable<>(
                    "census_plain",
                    "Plain responders per month, IP version, port, probed version and AS, as an exact address set: what later runs continue from.",
                    columns(
                            SCOPE_COLUMNS,
                            Column.text("run_id", 64).notNull(),
                            Column.of("hosts", ColumnType.BIGINT).notNull(),
                            Column.of("replies", ColumnType.BIGINT).notNull(),
                            Column.of("addresses", ColumnType.BYTES).notNull()),
                    columns(SCOPE_KEY, "run_id"),
                    f -> f.key() + " " + f.runId(),
                    f -> {
                        ResponderKey k = f.key();
                        return scope(
                                k.month(),
                                k.ipVersion(),
                                k.port(),
                                k.probedVersion(),
                                k.asn(),
                                f.runId(),
                                f.hosts(),
                                f.replies(),
                                f.addresses());
                    });

    /** The tables of the census's memory, from which a run continues the census. */
    public static final List<CensusTable<?>> MEMORY = List.of(REPLIES, PLAIN);

    /**
     * The census tables, the traffic tables of {@code mpcensus traffic} and {@link #RUNS}:
     * everything a run writes (and every database has).
     */
    public static final List<CensusTable<?>> WITH_RUNS =
            List.of(
                    COUNTS,
                    HOSTS,
                    DEAD_LETTERS,
                    CONSISTENCY,
                    KEY_TESTS,
                    OVERLAP,
                    PATHS,
                    HTTP,
                    HTTP_DELTAS,
                    TRAFFIC_FLOWS,
                    TRAFFIC_SHARE,
                    TRAFFIC_SIZES,
                    TRAFFIC_APPS,
                    AS_NAMES,
                    INPUTS,
                    REPLIES,
                    PLAIN,
                    RUNS);

    /**
     * Every census table (without {@link #RUNS} and the traffic tables), in creation order: what
     * the upsert topics and their Flink SQL tables carry.
     */
    public static final List<CensusTable<?>> ALL =
            List.of(
                    COUNTS,
                    HOSTS,
                    DEAD_LETTERS,
                    CONSISTENCY,
                    KEY_TESTS,
                    OVERLAP,
                    PATHS,
                    HTTP,
                    HTTP_DELTAS);

    /**
     * The Flink SQL tables over the census's upsert topics, as {@code ddl/tables-kafka.sql} holds.
     */
    public static String kafkaDdl() {
        return "-- The census tables as upsert-kafka changelog topics"
                + " ${table_topic_prefix}<table> (JSON key and value).\n\n"
                + ALL.stream().map(CensusTable::flinkDdl).collect(Collectors.joining("\n"))
                + "\n-- Views over them, as in the databases.\n\n"
                + VIEWS.stream().map(CensusView::flinkDdl).collect(Collectors.joining("\n"));
    }

    private static String cut(String s, int width) {
        return s == null || s.length() <= width ? s : s.substring(0, width);
    }

    private static Short shortOrNull(int v) {
        return v < 0 ? null : (short) v;
    }

    private static LocalDateTime utc(long micros) {
        return LocalDateTime.ofInstant(CaptureTime.toInstant(micros), ZoneOffset.UTC);
    }
}
