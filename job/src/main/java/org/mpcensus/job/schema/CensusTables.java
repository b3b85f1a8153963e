package org.mpcensus.job.schema;

import static org.mpcensus.job.schema.CensusColumns.HOST_COLUMNS;
import static org.mpcensus.job.schema.CensusColumns.HOST_KEY;
import static org.mpcensus.job.schema.CensusColumns.SCOPE_COLUMNS;
import static org.mpcensus.job.schema.CensusColumns.SCOPE_KEY;
import static org.mpcensus.job.schema.CensusColumns.columns;
import static org.mpcensus.job.schema.CensusColumns.host;
import static org.mpcensus.job.schema.CensusColumns.scope;
import static org.mpcensus.job.schema.CensusColumns.shortOrNull;
import static org.mpcensus.job.schema.CensusColumns.utc;

import java.util.List;
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
 * The census's own tables, declared once ({@link CensusTable}): the databases' DDL, the upserts,
 * the topics' JSON and the Flink SQL tables over the topics all derive from these. The features add
 * theirs ({@link TableSet}); {@link CensusSchema} collects them all. Timestamps are UTC; "none" is
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

    /** The census's own tables, in creation order: the upsert topics carry them. */
    public static final List<CensusTable<?>> CENSUS =
            List.of(COUNTS, HOSTS, DEAD_LETTERS, CONSISTENCY, KEY_TESTS, OVERLAP);
}
