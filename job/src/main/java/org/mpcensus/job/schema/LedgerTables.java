package org.mpcensus.job.schema;

import static org.mpcensus.job.schema.CensusColumns.HOST_COLUMNS;
import static org.mpcensus.job.schema.CensusColumns.HOST_KEY;
import static org.mpcensus.job.schema.CensusColumns.SCOPE_COLUMNS;
import static org.mpcensus.job.schema.CensusColumns.SCOPE_KEY;
import static org.mpcensus.job.schema.CensusColumns.columns;
import static org.mpcensus.job.schema.CensusColumns.cut;
import static org.mpcensus.job.schema.CensusColumns.host;
import static org.mpcensus.job.schema.CensusColumns.scope;
import static org.mpcensus.job.schema.CensusColumns.shortOrNull;
import static org.mpcensus.job.schema.CensusColumns.utc;

import java.util.List;
import org.mpcensus.udf.aggregate.ResponderKey;
import org.mpcensus.udf.classify.ClassifiedReply;
import org.mpcensus.udf.enrich.AsDirectory;

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

    /** The tables every census has beside the census: AS names, input ledger, memory, runs. */
    public static final List<CensusTable<?>> BOOKKEEPING =
            List.of(AS_NAMES, INPUTS, REPLIES, PLAIN, RUNS);

    /** The tables of the census's memory, from which a run continues the census. */
    public static final List<CensusTable<?>> MEMORY = List.of(REPLIES, PLAIN);
}
