package org.mpcensus.job.schema;

import java.util.List;

/**
 * The tables and views a feature of mpcensus adds to the census (path verification, HTTP timing,
 * passive traffic), declared by the feature itself and found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services}), so that the census's core never names a feature. {@link
 * CensusSchema} collects them.
 */
public interface TableSet {
    /** What the feature declares. */
    Declared declared();

    /**
     * A feature's tables and views.
     *
     * @param rank where the feature's tables stand after the census's own, lowest first
     * @param onTopics whether the tables are census tables that the upsert topics carry and the
     *     Flink SQL session declares (false for tables of their own command, such as traffic's)
     * @param tables the tables, in creation order
     * @param views the views, in creation order (a view may read the views before it)
     */
    record Declared(
            int rank, boolean onTopics, List<CensusTable<?>> tables, List<CensusView> views) {}
}
