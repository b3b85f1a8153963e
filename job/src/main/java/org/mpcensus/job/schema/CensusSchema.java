package org.mpcensus.job.schema;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Every table and view of a census database: the census's own ({@link CensusTables}), then each
 * feature's ({@link TableSet}s, by rank), then the run ledger and the census's memory.
 */
public final class CensusSchema {
    private CensusSchema() {}

    /** The features' table sets, by rank. */
    private static final List<TableSet.Declared> FEATURES =
            ServiceLoader.load(TableSet.class, TableSet.class.getClassLoader()).stream()
                    .map(p -> p.get().declared())
                    .sorted(Comparator.comparingInt(TableSet.Declared::rank))
                    .toList();

    private static final List<CensusTable<?>> WITH_RUNS = collect(false);

    private static final List<CensusTable<?>> TOPICS = collect(true);

    private static final List<CensusView> VIEWS =
            java.util.stream.Stream.concat(
                            CensusTables.CENSUS_VIEWS.stream(),
                            FEATURES.stream().flatMap(s -> s.views().stream()))
                    .toList();

    /**
     * Every table a run writes and every database has, in creation order: the census's, the
     * features', the AS names, the input ledger, the memory and the runs.
     */
    public static List<CensusTable<?>> withRuns() {
        return WITH_RUNS;
    }

    /**
     * The census tables the upsert topics carry and the Flink SQL session declares, in creation
     * order (without the runs, the memory and tables of their own command).
     */
    public static List<CensusTable<?>> topics() {
        return TOPICS;
    }

    /** The views, in creation order (a view may read the views before it). */
    public static List<CensusView> views() {
        return VIEWS;
    }

    /**
     * The Flink SQL tables over the census's upsert topics, as {@code ddl/tables-kafka.sql} holds.
     */
    public static String kafkaDdl() {
        return "-- The census tables as upsert-kafka changelog topics"
                + " ${table_topic_prefix}<table> (JSON key and value).\n\n"
                + TOPICS.stream().map(CensusTable::flinkDdl).collect(Collectors.joining("\n"))
                + "\n-- Views over them, as in the databases.\n\n"
                + VIEWS.stream().map(CensusView::flinkDdl).collect(Collectors.joining("\n"));
    }

    private static List<CensusTable<?>> collect(boolean topicsOnly) {
        List<CensusTable<?>> all = new ArrayList<>(CensusTables.CENSUS);
        for (TableSet.Declared s : FEATURES) {
            if (s.onTopics() || !topicsOnly) {
                all.addAll(s.tables());
            }
        }
        if (!topicsOnly) {
            all.addAll(LedgerTables.BOOKKEEPING);
        }
        return List.copyOf(all);
    }
}
