package org.mpcensus.job.traffic;

import java.util.List;
import org.mpcensus.job.schema.CensusTable;
import org.mpcensus.job.schema.Column;
import org.mpcensus.job.schema.TableSet;
import org.mpcensus.probe.traffic.FlowRecord;

/**
 * The tables of passive traffic ({@code mpcensus traffic}): flows, shares, sizes and applications.
 */
public final class TrafficTables implements TableSet {
    /**
     * The flow counts of the traffic tables: TCP flows and bytes, and the MPTCP ones among them.
     */
    private static <T extends FlowCounts> List<Column<T>> flowCounts() {
        return List.of(
                Column.<T>bigint("tcp_flows", FlowCounts::tcpFlows).notNull(),
                Column.<T>bigint("tcp_bytes", FlowCounts::tcpBytes).notNull(),
                Column.<T>bigint("mptcp_flows", FlowCounts::mptcpFlows).notNull(),
                Column.<T>bigint("mptcp_bytes", FlowCounts::mptcpBytes).notNull());
    }

    /** {@code traffic_flows}: each TCP flow of the traces read by {@code mpcensus traffic}. */
    public static final CensusTable<FlowRecord> FLOWS =
            CensusTable.<FlowRecord>named(
                            "traffic_flows",
                            "Each bidirectional TCP flow of a trace: endpoints, packets and bytes per direction, MPTCP.")
                    .key(Column.text("trace", 256, FlowRecord::trace))
                    .key(Column.text("client", 45, FlowRecord::client))
                    .key(Column.integer("client_port", FlowRecord::clientPort))
                    .key(Column.text("server", 45, FlowRecord::server))
                    .key(Column.integer("server_port", FlowRecord::serverPort))
                    .key(Column.timestamp("first_seen", FlowRecord::firstMicros))
                    .notNull(Column.timestamp("last_seen", FlowRecord::lastMicros))
                    .notNull(Column.smallint("ip_version", FlowRecord::ipVersion))
                    .notNull(Column.bigint("packets_up", FlowRecord::packetsUp))
                    .notNull(Column.bigint("bytes_up", FlowRecord::bytesUp))
                    .notNull(Column.bigint("packets_down", FlowRecord::packetsDown))
                    .notNull(Column.bigint("bytes_down", FlowRecord::bytesDown))
                    .nullable(Column.smallintOrNone("mptcp_version", FlowRecord::mptcpVersion))
                    .nullable(Column.bigintOrNone("server_token", FlowRecord::serverToken))
                    .nullable(Column.bigintOrNone("join_token", FlowRecord::joinToken))
                    .notNull(Column.label("flow_end", 8, FlowRecord::end))
                    .build();

    /**
     * {@code traffic_share}: TCP and MPTCP flows and bytes per trace, time bucket and IP version.
     */
    public static final CensusTable<TrafficShareRow> SHARE =
            CensusTable.<TrafficShareRow>named(
                            "traffic_share",
                            "TCP flows and bytes, and how many of them were MPTCP, per trace, time bucket (a day, or the whole capture) and IP version.")
                    .key(Column.text("trace", 256, TrafficShareRow::trace))
                    .key(Column.text("bucket", 10, TrafficShareRow::bucket))
                    .key(Column.smallint("ip_version", TrafficShareRow::ipVersion))
                    .declared(flowCounts())
                    .notNull(Column.bigint("connections", TrafficShareRow::connections))
                    .notNull(Column.bigint("subflows", TrafficShareRow::subflows))
                    .notNull(Column.bigint("v0_connections", TrafficShareRow::v0Connections))
                    .notNull(Column.bigint("v1_connections", TrafficShareRow::v1Connections))
                    .nullable(Column.real("tcp_flows_ewma", TrafficShareRow::tcpFlowsEwma))
                    .nullable(Column.real("mptcp_flows_ewma", TrafficShareRow::mptcpFlowsEwma))
                    .build();

    /** {@code traffic_sizes}: how a trace's MPTCP bytes are spread over its MPTCP flows. */
    public static final CensusTable<TrafficSizeRow> SIZES =
            CensusTable.<TrafficSizeRow>named(
                            "traffic_sizes",
                            "Per trace, the share of MPTCP bytes carried by the largest, the 5 largest and the largest half of MPTCP flows.")
                    .key(Column.text("trace", 256, TrafficSizeRow::trace))
                    .notNull(Column.bigint("mptcp_flows", TrafficSizeRow::mptcpFlows))
                    .notNull(Column.bigint("mptcp_bytes", TrafficSizeRow::mptcpBytes))
                    .notNull(Column.real("top1_share", TrafficSizeRow::top1Share))
                    .notNull(Column.real("top5_share", TrafficSizeRow::top5Share))
                    .notNull(Column.real("top_half_share", TrafficSizeRow::topHalfShare))
                    .build();

    /** {@code traffic_apps}: TCP and MPTCP flows and bytes per trace and application. */
    public static final CensusTable<TrafficAppRow> APPS =
            CensusTable.<TrafficAppRow>named(
                            "traffic_apps",
                            "TCP and MPTCP flows and bytes per trace and application (by server port).")
                    .key(Column.text("trace", 256, TrafficAppRow::trace))
                    .key(Column.text("app", 32, TrafficAppRow::app))
                    .declared(flowCounts())
                    .build();

    /** Found by {@link java.util.ServiceLoader}; the tables are the constants above. */
    public TrafficTables() {}

    @Override
    public Declared declared() {
        return new Declared(30, false, List.of(FLOWS, SHARE, SIZES, APPS), List.of());
    }
}
