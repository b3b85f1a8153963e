package org.mpcensus.job.schema;

import static org.mpcensus.job.schema.CensusColumns.host;
import static org.mpcensus.job.schema.CensusColumns.scope;

import java.util.List;
import org.mpcensus.udf.enrich.AsDirectory;
import org.mpcensus.udf.host.HostKey;

/**
 * The tables every census database has beside the census itself: the AS names ({@code
 * census_as_names}), the run ledger ({@code census_runs}), the input ledger ({@code census_inputs})
 * and the census's memory ({@code census_replies}, {@code census_plain}), from which a run
 * continues the census.
 */
public final class LedgerTables {
    private LedgerTables() {}

    /**
     * {@code census_as_names}: what the AS files given to {@code mpcensus report} say of the ASes
     * of the census, for dashboards that show names.
     */
    public static final CensusTable<AsDirectory.AsInfo> AS_NAMES =
            CensusTable.<AsDirectory.AsInfo>named(
                            "census_as_names",
                            "Per AS of the census: name and organisation, registration country, CAIDA AS Rank and PeeringDB network type, from the files mpcensus report was given.")
                    .key(Column.bigint("asn", AsDirectory.AsInfo::asn))
                    .nullable(Column.text("name", 256, AsDirectory.AsInfo::name))
                    .nullable(Column.text("country", 2, AsDirectory.AsInfo::country))
                    .nullable(Column.integer("as_rank", AsDirectory.AsInfo::rank))
                    .nullable(Column.text("network_type", 64, AsDirectory.AsInfo::networkType))
                    .build();

    /**
     * {@code census_runs}: one row per run that wrote the census: its command, inputs and options,
     * start and end, status ({@code complete} for a bounded run, whose row appears together with
     * its results; {@code running}, then {@code stopped} or {@code failed}, for a continuous one),
     * replies, dead letters and late replies.
     */
    public static final CensusTable<RunRow> RUNS =
            CensusTable.<RunRow>named(
                            "census_runs",
                            "Each run that wrote the census: command, inputs, options, times, status and counts.")
                    .key(Column.text("run_id", 64, RunRow::runId))
                    .notNull(Column.text("command", 32, RunRow::command))
                    .nullable(Column.text("inputs", 4096, RunRow::inputs))
                    .nullable(Column.text("options", 4096, RunRow::options))
                    .notNull(Column.timestamp("started", RunRow::startedMicros))
                    .nullable(Column.timestampOrNone("ended", RunRow::endedMicros))
                    .notNull(Column.text("status", 16, r -> r.status().text()))
                    .nullable(Column.bigintOrNone("replies", RunRow::replies))
                    .nullable(Column.bigintOrNone("dead_letters", RunRow::deadLetters))
                    .nullable(Column.bigintOrNone("late_replies", RunRow::lateReplies))
                    .build();

    /** {@code census_inputs}: the files the census holds, by content. */
    public static final CensusTable<InputRow> INPUTS =
            CensusTable.<InputRow>named(
                            "census_inputs",
                            "Each file whose content the census holds: its SHA-256, size, path, and the command and run that read it.")
                    .key(Column.text("sha256", 64, InputRow::sha256))
                    .notNull(Column.bigint("bytes", InputRow::bytes))
                    .notNull(Column.text("path", 4096, InputRow::path))
                    .key(Column.text("command", 32, InputRow::command))
                    .notNull(Column.text("run_id", 64, InputRow::runId))
                    .notNull(Column.timestamp("recorded", InputRow::recordedMicros))
                    .build();

    /** The widest scan id or vantage point {@link #REPLIES} keeps; longer ones are cut. */
    private static final int SOURCE_WIDTH = 1024;

    /**
     * The census's memory of the MPTCP path: every reply whose classification is not {@code
     * NOT_MPTCP}, as classified and enriched when read ({@link ReplyFact}).
     */
    public static final CensusTable<ReplyFact> REPLIES =
            CensusTable.<ReplyFact>named(
                            "census_replies",
                            "Each reply of the MPTCP path, classified and enriched as read: what later runs continue from.")
                    .declared(host(f -> HostKey.of(f.reply())))
                    .key(Column.bigint("reply_id", ReplyFact::id))
                    .notNull(Column.text("run_id", 64, ReplyFact::runId))
                    .notNull(Column.timestamp("capture_time", f -> f.reply().captureTimeMicros()))
                    .notNull(Column.smallint("ip_version", f -> f.reply().ipVersion()))
                    .nullable(Column.label("reply_type", 16, f -> f.reply().replyType()))
                    .notNull(Column.label("classification", 16, f -> f.reply().classification()))
                    .nullable(Column.smallintOrNone("mptcp_version", f -> f.reply().mptcpVersion()))
                    .nullable(Column.text("sender_key", 16, f -> f.reply().senderKey()))
                    .nullable(Column.smallintOrNone("key_weight", f -> f.reply().keyWeight()))
                    .notNull(Column.bigint("asn", f -> f.reply().asn()))
                    .nullable(Column.text("country", 2, f -> f.reply().country()))
                    .nullable(Column.text("vantage", SOURCE_WIDTH, f -> f.reply().vantage()))
                    .nullable(Column.text("scan_id", SOURCE_WIDTH, f -> f.reply().scanId()))
                    .build();

    /**
     * The census's memory of the plain path: per key and run, the exact set of addresses that sent
     * replies without {@code MP_CAPABLE} (about 2 bytes per address) and their replies ({@link
     * PlainFact}).
     */
    public static final CensusTable<PlainFact> PLAIN =
            CensusTable.<PlainFact>named(
                            "census_plain",
                            "Plain responders per month, IP version, port, probed version and AS, as an exact address set: what later runs continue from.")
                    .declared(scope(PlainFact::key))
                    .key(Column.text("run_id", 64, PlainFact::runId))
                    .notNull(Column.bigint("hosts", PlainFact::hosts))
                    .notNull(Column.bigint("replies", PlainFact::replies))
                    .notNull(Column.bytes("addresses", PlainFact::addresses))
                    .build();

    /** The tables every census has beside the census: AS names, input ledger, memory, runs. */
    public static final List<CensusTable<?>> BOOKKEEPING =
            List.of(AS_NAMES, INPUTS, REPLIES, PLAIN, RUNS);

    /** The tables of the census's memory, from which a run continues the census. */
    public static final List<CensusTable<?>> MEMORY = List.of(REPLIES, PLAIN);
}
