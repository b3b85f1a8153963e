package org.mpcensus.job.schema;

import static org.mpcensus.job.schema.CensusColumns.hostOfMonth;
import static org.mpcensus.job.schema.CensusColumns.scope;

import java.util.List;
import org.mpcensus.probe.event.DeadLetter;
import org.mpcensus.udf.aggregate.CountRow;
import org.mpcensus.udf.host.HostRow;
import org.mpcensus.udf.keys.KeyTestRow;
import org.mpcensus.udf.keys.KeyWeightHistogram;
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
            CensusTable.<CountRow>named(
                            "census_counts",
                            "Hosts and replies per month, IP version, port, probed version, AS and classification.")
                    .declared(scope(r -> r.key().scope()))
                    .key(Column.label("classification", 16, r -> r.key().classification()))
                    .notNull(Column.bigint("hosts", CountRow::hosts))
                    .notNull(Column.bigint("replies", CountRow::replies))
                    .build();

    public static final CensusTable<HostRow> HOSTS =
            CensusTable.<HostRow>named(
                            "census_hosts",
                            "Each host per month, port and probed version, with the classification of its latest reply.")
                    .declared(hostOfMonth())
                    .notNull(Column.label("classification", 16, HostRow::classification))
                    .nullable(Column.smallintOrNone("mptcp_version", HostRow::mptcpVersion))
                    .nullable(Column.text("sender_key", 16, HostRow::senderKey))
                    .nullable(Column.smallintOrNone("key_weight", HostRow::keyWeight))
                    .notNull(Column.bigint("replies", HostRow::replies))
                    .notNull(Column.timestamp("first_seen", HostRow::firstSeenMicros))
                    .notNull(Column.timestamp("last_seen", HostRow::lastSeenMicros))
                    .notNull(Column.bool("duplicate_key", HostRow::duplicateKey))
                    .nullable(Column.text("country", 2, HostRow::country))
                    .build();

    public static final CensusTable<DeadLetter> DEAD_LETTERS =
            CensusTable.<DeadLetter>named(
                            "dead_letters",
                            "Bad input: where it came from, why it was refused, and the raw bytes.")
                    .key(Column.text("source", 1024, DeadLetter::source))
                    .key(Column.text("location", 256, DeadLetter::location))
                    .notNull(Column.text("reason", 4096, DeadLetter::reason))
                    .nullable(Column.bytes("raw", DeadLetter::raw))
                    .nullable(Column.timestampOrNone("capture_time", DeadLetter::captureTimeMicros))
                    .build();

    public static final CensusTable<ConsistencyRow> CONSISTENCY =
            CensusTable.<ConsistencyRow>named(
                            "census_consistency",
                            "Each host's standing in the consistency window ending each month.")
                    .declared(hostOfMonth())
                    .notNull(Column.bool("candidate", ConsistencyRow::candidate))
                    .notNull(Column.smallint("candidate_months", ConsistencyRow::candidateMonths))
                    .notNull(Column.smallint("window_months", ConsistencyRow::window))
                    .notNull(Column.bool("consistent", ConsistencyRow::consistent))
                    .notNull(Column.bool("is_transient", ConsistencyRow::transientHost))
                    .build();

    public static final CensusTable<KeyTestRow> KEY_TESTS =
            CensusTable.<KeyTestRow>named(
                            "census_key_tests",
                            "Key-weight histograms and their test against random keys.")
                    .declared(scope(KeyTestRow::key))
                    .notNull(Column.bigint("keys", KeyTestRow::keys))
                    .notNull(Column.real("p_value", KeyTestRow::pValue))
                    .notNull(Column.bool("flagged", KeyTestRow::flagged))
                    .notNull(Column.text("weights", 1024, KeyTestRow::weightsText))
                    .build();

    public static final CensusTable<OverlapRow> OVERLAP =
            CensusTable.<OverlapRow>named(
                            "census_overlap", "Port overlap, version overlap and migration counts.")
                    .declared(scope(r -> r.key().tableScope()))
                    .key(Column.label("measure", 16, r -> r.key().measure()))
                    .key(Column.text("category", 32, r -> r.key().label()))
                    .notNull(Column.bigint("hosts", OverlapRow::hosts))
                    .goneAtZero("hosts", r -> r.hosts() == 0);

    /**
     * {@code census_key_weight_binomial}: the Hamming weight of a uniformly random 64-bit key,
     * Binomial(64, 1/2), as rows (weight, probability), from {@link KeyWeightHistogram#binomial64}:
     * the expectation that the key-weight figures (the report's, Grafana's) draw against.
     */
    public static final CensusView KEY_WEIGHT_BINOMIAL =
            new CensusView(
                    "census_key_weight_binomial",
                    "The Hamming weight of a random 64-bit key: Binomial(64, 1/2), per weight.",
                    binomialRows());

    private static String binomialRows() {
        double[] p = KeyWeightHistogram.binomial64();
        StringBuilder b =
                new StringBuilder(
                        "SELECT weight, CAST(probability AS {DOUBLE}) AS probability FROM (VALUES ");
        for (int k = 0; k < p.length; k++) {
            b.append(k == 0 ? "" : ", ")
                    .append('(')
                    .append(k)
                    .append(", ")
                    .append(String.format(java.util.Locale.ROOT, "%.17e", p[k]))
                    .append(')');
        }
        return b.append(") AS b(weight, probability)").toString();
    }

    /** The census's own views, in creation order. */
    public static final List<CensusView> CENSUS_VIEWS = List.of(KEY_WEIGHT_BINOMIAL);

    /** The census's own tables, in creation order: the upsert topics carry them. */
    public static final List<CensusTable<?>> CENSUS =
            List.of(COUNTS, HOSTS, DEAD_LETTERS, CONSISTENCY, KEY_TESTS, OVERLAP);
}
