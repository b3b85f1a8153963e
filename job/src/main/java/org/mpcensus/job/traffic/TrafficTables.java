package org.mpcensus.job.traffic;

import static org.mpcensus.job.schema.CensusColumns.columns;
import static org.mpcensus.job.schema.CensusColumns.utc;

import java.util.List;
import org.mpcensus.job.schema.CensusTable;
import org.mpcensus.job.schema.Column;
import org.mpcensus.job.schema.ColumnType;
import org.mpcensus.job.schema.TableSet;
import org.mpcensus.probe.traffic.FlowRecord;

/**
 * The tables of passive traffic ({@code mpcensus traffic}): flows, shares, sizes and applications.
 */
public final class TrafficTables implements TableSet {
    /**
     * The flow counts of the traffic tables: TCP flows and bytes, and the MPTCP ones among them.
     */
    private static final List<Column> FLOW_COUNT_COLUMNS =
            List.of(
                    Column.of("tcp_flows", ColumnType.BIGINT).notNull(),
                    Column.of("tcp_bytes", ColumnType.BIGINT).notNull(),
                    Column.of("mptcp_flows", ColumnType.BIGINT).notNull(),
                    Column.of("mptcp_bytes", ColumnType.BIGINT).notNull());

    /** {@code traffic_flows}: each TCP flow of the traces read by {@code mpcensus traffic}. */
    public static final CensusTable<FlowRecord> FLOWS =
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
    public static final CensusTable<TrafficShareRow> SHARE =
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
    public static final CensusTable<TrafficSizeRow> SIZES =
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
    public static final CensusTable<TrafficAppRow> APPS =
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

    /** Found by {@link java.util.ServiceLoader}; the tables are the constants above. */
    public TrafficTables() {}

    @Override
    public Declared declared() {
        return new Declared(30, false, List.of(FLOWS, SHARE, SIZES, APPS), List.of());
    }
}
