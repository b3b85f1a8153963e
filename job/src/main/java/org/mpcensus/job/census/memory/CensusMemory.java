package org.mpcensus.job.census.memory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.mpcensus.job.census.CensusPipeline;
import org.mpcensus.job.output.CensusStreams;
import org.mpcensus.job.output.RememberedCensus;
import org.mpcensus.job.runtime.CensusOptions;
import org.mpcensus.job.runtime.JobEnvironment;
import org.mpcensus.job.runtime.ListStream;
import org.mpcensus.job.schema.CensusTable;
import org.mpcensus.job.schema.CensusTables;
import org.mpcensus.job.schema.LedgerTables;
import org.mpcensus.job.schema.PlainFact;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.DatabaseOutput;
import org.mpcensus.udf.aggregate.AddressSet;
import org.mpcensus.udf.aggregate.CountKey;
import org.mpcensus.udf.aggregate.CountRow;
import org.mpcensus.udf.aggregate.PlainResponders;
import org.mpcensus.udf.aggregate.ResponderCounter;
import org.mpcensus.udf.aggregate.ResponderDelta;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.classify.ClassifiedReply;
import org.mpcensus.udf.month.Months;
import org.mpcensus.udf.scope.Scope;

/**
 * One census across many runs. The census keeps its memory in two tables ({@link
 * LedgerTables#MEMORY}): every reply of the MPTCP path as it was classified and enriched, and per
 * key the exact set of plain responders. Every other census table follows from them. A run computes
 * its own tables from its input; when the census already held replies or responders of the months
 * the run touched (or of the months whose windows reach them), {@link #continueRun} recomputes
 * those months from the memory of every run, with the same operators, and replaces their rows. So
 * any split of the inputs (by month, host, file, time, in any order) gives the census of one run
 * over all of them, and a run costs what its own months hold, not the whole census.
 */
public final class CensusMemory {
    private CensusMemory() {}

    /**
     * What a run continued: its months, whose rows (with those of the months their windows reach)
     * were recomputed from the memory of every run, and what the recomputed months held.
     *
     * @param months the months of the run's replies (empty when the run's own rows were final)
     * @param replies replies of the MPTCP path the recomputed months hold
     * @param plainKeys keys with plain responders in the recomputed months
     */
    public record Continued(List<String> months, long replies, long plainKeys) {
        static final Continued NOTHING = new Continued(List.of(), 0, 0);
    }

    /**
     * Continues the census with what a run wrote into {@code staged} (its staged copy, which holds
     * the census as it was plus the run's rows): when the census held memory of other runs in the
     * months the run's rows depend on, those months' tables are recomputed from the memory of every
     * run and replace the run's own rows; the plain responders of those months are merged into one
     * row per key.
     *
     * @param staged the database the run wrote, with its run id ({@link CensusDatabase#inRun})
     * @param conf the run's configuration (window, lateness, overlap ports, parallelism)
     */
    public static Continued continueRun(CensusDatabase staged, Configuration conf)
            throws Exception {
        String runId = staged.runId();
        if (runId == null) {
            throw new IllegalArgumentException("a census outside a run has no memory to continue");
        }
        int window = conf.get(CensusOptions.CONSISTENCY_WINDOW);
        // Rows of month m depend on months m - reach .. m: the consistency window, and the
        // migration of the overlap table from the month before.
        int reach = reach(window);
        TreeSet<Integer> loaded = new TreeSet<>();
        TreeSet<Integer> touched = new TreeSet<>();
        try (Connection c = staged.connect()) {
            for (int m : MemoryStore.monthsOf(c, runId)) {
                touched.add(m);
                for (int d = -reach; d <= reach; d++) {
                    loaded.add(m + d);
                }
            }
            if (loaded.isEmpty() || !MemoryStore.othersHold(c, runId, loaded)) {
                return Continued.NOTHING;
            }
        }
        List<ClassifiedReply> replies;
        Map<Scope, PlainResponders> plain;
        try (Connection c = staged.connect()) {
            replies = MemoryStore.replies(c, loaded);
            plain = MemoryStore.plainResponders(c, loaded);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // The recomputed rows replace the old ones where they are: host-months, counts,
                // key tests and consistency rows only come with more replies, so the new rows
                // cover every old one. An overlap count can drop to zero and go, and the plain
                // responders are merged: those are deleted first.
                MemoryStore.deleteMonths(s, LedgerTables.PLAIN, loaded, m -> true);
                MemoryStore.deleteMonths(
                        s, CensusTables.OVERLAP, loaded, m -> loaded.contains(m - 1));
            }
            LedgerTables.PLAIN.upsertAll(
                    c, plain.values().stream().map(p -> PlainFact.of(runId, p)).toList());
            c.commit();
        }
        if (!replies.isEmpty()) {
            recompute(staged, conf, replies, loaded, window);
        }
        try (Connection c = staged.connect()) {
            Map<Scope, AddressSet> mptcpHosts = MemoryStore.mptcpPathHosts(c, loaded);
            List<CountRow> counts = new ArrayList<>();
            for (PlainResponders p : plain.values()) {
                AddressSet q = mptcpHosts.getOrDefault(p.key(), new AddressSet());
                counts.add(
                        new CountRow(
                                new CountKey(p.key(), Classification.NOT_MPTCP),
                                ResponderCounter.plainHosts(p.addresses(), q),
                                p.replies()));
            }
            c.setAutoCommit(false);
            CensusTables.COUNTS.upsertAll(c, counts);
            c.commit();
        }
        return new Continued(
                touched.stream().map(Months::month).toList(), replies.size(), plain.size());
    }

    /**
     * What a continuous job started without state takes in from the census's memory: the months
     * whose keys it can still change, from {@code firstOpen} on (every month when null: a job whose
     * input can be of any month), and the months their windows and migrations reach.
     *
     * @param db the census, with the job's run id
     * @param conf the job's configuration (window)
     * @param firstOpen the index ({@link Months#index}) of the first month the job can change, or
     *     null for every month
     */
    public static RememberedCensus remembered(
            CensusDatabase db, Configuration conf, Integer firstOpen) throws SQLException {
        int window = conf.get(CensusOptions.CONSISTENCY_WINDOW);
        Integer from = firstOpen == null ? null : firstOpen - reach(window);
        TreeSet<Integer> loaded = new TreeSet<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            for (CensusTable<?> t : LedgerTables.MEMORY) {
                try (ResultSet r = s.executeQuery("SELECT DISTINCT month FROM " + t.name())) {
                    while (r.next()) {
                        int m = Months.index(r.getString(1));
                        if (from == null || m >= from) {
                            loaded.add(m);
                        }
                    }
                }
            }
            if (loaded.isEmpty()) {
                return RememberedCensus.NONE;
            }
            // The months before the first loaded one hold nothing (every month) or are the
            // census's already (from a month on): rows that reach them are not written.
            IntPredicate isLoaded = from == null ? m -> true : m -> m >= from;
            List<ResponderDelta> plain = new ArrayList<>();
            for (PlainResponders p : MemoryStore.plainResponders(c, loaded).values()) {
                plain.add(
                        new ResponderDelta(
                                p.key(),
                                p.addresses(),
                                p.replies(),
                                ResponderDelta.Origin.REMEMBERED));
            }
            return new RememberedCensus(
                    List.copyOf(monthNames(loaded, m -> true)),
                    MemoryStore.replies(c, loaded),
                    plain,
                    monthNames(loaded, m -> !windowLoaded(m, isLoaded, window)),
                    monthNames(loaded, m -> !isLoaded.test(m - 1)));
        }
    }

    /** Runs the census operators over the memory's replies into the staged tables. */
    private static void recompute(
            CensusDatabase staged,
            Configuration conf,
            List<ClassifiedReply> replies,
            TreeSet<Integer> loaded,
            int window)
            throws Exception {
        Configuration c = new Configuration(conf);
        // A short job of its own: it neither checkpoints nor restores the run's checkpoints.
        c.removeConfig(CheckpointingOptions.CHECKPOINTING_INTERVAL);
        c.removeConfig(StateRecoveryOptions.SAVEPOINT_PATH);
        c.removeConfig(CensusOptions.REPLAY_OUT_OF_ORDERNESS);
        StreamExecutionEnvironment env = JobEnvironment.of(c);
        DataStream<ClassifiedReply> memory =
                ListStream.of(
                        env, replies, TypeInformation.of(ClassifiedReply.class), "census-memory");
        CensusStreams census = CensusPipeline.census(memory, null, c);
        DatabaseOutput out = new DatabaseOutput(staged, c);
        Set<String> months = monthNames(loaded, m -> true);
        Set<String> overlapMonths = monthNames(loaded, m -> loaded.contains(m - 1));
        Set<String> windowMonths =
                monthNames(loaded, m -> windowLoaded(m, loaded::contains, window));
        out.write(
                CensusTables.HOSTS,
                changed(
                        census.hosts(),
                        CensusTables.HOSTS,
                        MemoryStore.fingerprints(staged, CensusTables.HOSTS, months)));
        out.write(CensusTables.COUNTS, census.counts());
        out.write(CensusTables.KEY_TESTS, census.keyTests());
        out.write(
                CensusTables.OVERLAP,
                census.overlap()
                        .filter(r -> overlapMonths.contains(r.key().scope().month()))
                        .name("overlap-months"));
        out.write(
                CensusTables.CONSISTENCY,
                changed(
                        census.consistency()
                                .filter(r -> windowMonths.contains(r.month()))
                                .name("window-months"),
                        CensusTables.CONSISTENCY,
                        MemoryStore.fingerprints(staged, CensusTables.CONSISTENCY, windowMonths)));
        env.execute("mpcensus continue " + String.join(",", months));
    }

    /**
     * The last row of each key of a table, once input has ended, when the table does not hold it
     * already: most recomputed rows are the rows the census has, and need not be written again.
     */
    private static <T> DataStream<T> changed(
            DataStream<T> rows, CensusTable<T> table, long[] existing) {
        return rows.keyBy(new RowKey<>(table))
                .process(new Changed<>(table, existing, rows.getType()))
                .returns(rows.getType())
                .name(table.name() + "-changed")
                .uid(table.name() + "-changed");
    }

    /** A row's primary key as text. */
    record RowKey<T>(CensusTable<T> table) implements KeySelector<T, String> {
        @Override
        public String getKey(T row) {
            return String.valueOf(table.keyOf(row));
        }
    }

    /** Keeps each key's latest row and emits it at the end when its fingerprint is new. */
    static final class Changed<T> extends KeyedProcessFunction<String, T, T> {
        private final CensusTable<T> table;
        private final long[] existing;
        private final TypeInformation<T> type;
        private transient ValueState<T> latest;

        Changed(CensusTable<T> table, long[] existing, TypeInformation<T> type) {
            this.table = table;
            this.existing = existing;
            this.type = type;
        }

        @Override
        public void open(OpenContext context) {
            latest = getRuntimeContext().getState(new ValueStateDescriptor<>("latest", type));
        }

        @Override
        public void processElement(T row, Context ctx, Collector<T> out) throws Exception {
            if (latest.value() == null) {
                ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
            }
            latest.update(row);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<T> out) throws Exception {
            T row = latest.value();
            latest.clear();
            if (row != null
                    && Arrays.binarySearch(existing, table.fingerprint(table.valuesOf(row))) < 0) {
                out.collect(row);
            }
        }
    }

    /**
     * How many months a month's rows reach back, and so a run's months forward: the consistency
     * window (W - 1 months before), and the migration from the month before.
     */
    private static int reach(int window) {
        return Math.max(window - 1, 1);
    }

    /** Whether every month of the consistency window that ends in month {@code m} is loaded. */
    private static boolean windowLoaded(int m, IntPredicate loaded, int window) {
        for (int d = 0; d < window; d++) {
            if (!loaded.test(m - d)) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> monthNames(TreeSet<Integer> loaded, IntPredicate keep) {
        return loaded.stream()
                .filter(keep::test)
                .map(Months::month)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
