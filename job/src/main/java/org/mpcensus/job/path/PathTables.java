package org.mpcensus.job.path;

import static org.mpcensus.job.schema.CensusColumns.host;

import java.util.List;
import org.mpcensus.job.schema.CensusTable;
import org.mpcensus.job.schema.CensusView;
import org.mpcensus.job.schema.Column;
import org.mpcensus.job.schema.TableSet;
import org.mpcensus.udf.host.HostKey;
import org.mpcensus.udf.scope.Scope;

/**
 * The tables and views of path verification: {@code census_paths} and the views over it and the
 * census.
 */
public final class PathTables implements TableSet {
    /** {@code census_paths}: each verified host per month, port and version, with its path. */
    public static final CensusTable<PathRow> PATHS =
            CensusTable.<PathRow>named(
                            "census_paths",
                            "Each verified host per month, port and probed version: its path's category, the hop that changes MP_CAPABLE and how.")
                    .declared(
                            host(
                                    r -> {
                                        Scope s = r.request().scope();
                                        return new HostKey(
                                                s.month(),
                                                r.request().host(),
                                                s.port(),
                                                s.probedVersion());
                                    }))
                    .notNull(Column.smallint("ip_version", r -> r.request().scope().ipVersion()))
                    .notNull(Column.bigint("asn", r -> r.request().scope().asn()))
                    .nullable(Column.text("country", 2, r -> r.request().country()))
                    .notNull(
                            Column.text(
                                    "classification", 16, r -> r.request().classificationLabel()))
                    .notNull(Column.label("category", 24, r -> r.result().category()))
                    .nullable(
                            Column.smallintOrNone(
                                    "modifying_hop", r -> none(r.result().modifyingHop())))
                    .nullable(Column.text("hop_address", 45, r -> r.result().hopAddress()))
                    .nullable(Column.text("modification", 256, r -> r.result().modification()))
                    .nullable(
                            Column.text(
                                    "other_modifications",
                                    256,
                                    r -> r.result().otherModifications()))
                    .notNull(Column.smallint("hops_answered", r -> r.result().hopsAnswered()))
                    .nullable(
                            Column.smallintOrNone("target_hop", r -> none(r.result().targetHop())))
                    .notNull(Column.text("answer", 24, r -> r.result().answer().label()))
                    .notNull(Column.text("quote_lengths", 256, r -> r.result().quoteLengths()))
                    .notNull(Column.timestamp("first_seen", r -> r.result().startedMicros()))
                    .notNull(Column.timestamp("last_seen", r -> r.result().endedMicros()))
                    .build();

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

    /** A hop number, -1 (none) for 0 (no such hop). */
    private static int none(int hop) {
        return hop == 0 ? -1 : hop;
    }

    /** Found by {@link java.util.ServiceLoader}; the tables are the constants above. */
    public PathTables() {}

    @Override
    public Declared declared() {
        return new Declared(
                10, true, List.of(PATHS), List.of(PATH_COUNTS, TRULY_CAPABLE, TRUE_SUPPORT));
    }
}
