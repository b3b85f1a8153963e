package org.mpcensus.job.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.mpcensus.probe.event.DeadLetter;
import org.mpcensus.udf.classify.ClassifiedReply;

/**
 * What one run of the census saw, counted with Flink accumulators so that the command gets it with
 * the job's result (locally and from a cluster): replies, bad input, late replies, and per input
 * file the kinds of problem ({@link #problemsOf}), so that a file whose rows mostly fail for one
 * reason (no port column, a timestamp form nobody expected) is named at the end of the run.
 *
 * @param replies replies counted
 * @param deadLetters bad input kept as dead letters (late replies not included)
 * @param lateReplies replies past the lateness, kept as dead letters and not counted
 * @param dominantProblems files most of whose rows became dead letters for one reason
 */
public record RunStatistics(
        long replies, long deadLetters, long lateReplies, List<String> dominantProblems) {

    static final String REPLIES = "mpcensus-replies";
    static final String DEAD_LETTERS = "mpcensus-dead-letters";
    static final String LATE = "mpcensus-late-replies";
    static final String PROBLEMS = "mpcensus-problems";

    /**
     * The statistics of a finished job; zeros when the job kept none (it published only).
     *
     * @param scanIdsAreFiles whether each reply's scan id is the name of its file (a replay without
     *     {@code --scan-id}); otherwise a file's rows are compared with all replies of the run
     */
    public static RunStatistics of(JobExecutionResult result, boolean scanIdsAreFiles) {
        long replies = count(result, REPLIES);
        Map<String, Long> problems = result.getAccumulatorResult(PROBLEMS);
        return new RunStatistics(
                replies,
                count(result, DEAD_LETTERS),
                count(result, LATE),
                problems == null ? List.of() : dominant(problems, scanIdsAreFiles));
    }

    private static long count(JobExecutionResult result, String name) {
        Long v = result.getAccumulatorResult(name);
        return v == null ? 0 : v;
    }

    /**
     * The files (by name) where one kind of problem accounts for most of the file's records: {@code
     * problems} maps "file TAB kind" to dead letters and "file TAB" to replies.
     */
    static List<String> dominant(Map<String, Long> problems, boolean scanIdsAreFiles) {
        Map<String, Long> perFile = new HashMap<>();
        problems.forEach((k, n) -> perFile.merge(k.substring(0, k.indexOf('\t')), n, Long::sum));
        // Replies are counted per scan id: when that is not the file's name (--scan-id), a
        // file's rows are its dead letters and every reply of the run.
        long pooled =
                scanIdsAreFiles
                        ? 0
                        : problems.entrySet().stream()
                                .filter(e -> e.getKey().endsWith("\t"))
                                .mapToLong(Map.Entry::getValue)
                                .sum();
        List<String> out = new ArrayList<>();
        problems.entrySet().stream()
                .filter(e -> !e.getKey().endsWith("\t"))
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .forEach(
                        e -> {
                            String file = e.getKey().substring(0, e.getKey().indexOf('\t'));
                            long all = perFile.get(file) + pooled;
                            if (e.getValue() * 2 > all) {
                                out.add(
                                        String.format(
                                                "%s: %,d of %,d rows are dead letters: %s",
                                                file,
                                                e.getValue(),
                                                all,
                                                e.getKey().substring(file.length() + 1)));
                            }
                        });
        return out;
    }

    /**
     * The kind of a dead letter's problem: its reason without the values that differ from row to
     * row (quoted text, decimal numbers), e.g. {@code sport is not a number: '...'}; words that
     * hold digits (a magic number in hex, an option's name) stay as they are.
     */
    static String kindOf(String reason) {
        String r = reason.replaceAll("'[^']*'", "'...'").replaceAll("\\b[0-9]+\\b", "N");
        return r.length() > 160 ? r.substring(0, 160) + "..." : r;
    }

    /** The file name a record came from: the last part of a path, or a scan id as it is. */
    static String fileOf(String source) {
        int slash = source.lastIndexOf('/');
        return slash >= 0 ? source.substring(slash + 1) : source;
    }

    /** Counts the replies of the census (per scan id, which is the file name by default). */
    public static final class CountReplies
            extends RichMapFunction<ClassifiedReply, ClassifiedReply> {
        private transient LongCounter replies;
        private transient CountMap problems;
        // Replies come file by file: the last scan id's counter is reused without a lookup.
        private transient String lastScan;
        private transient long[] lastCount;

        @Override
        public void open(OpenContext context) {
            replies = getRuntimeContext().getLongCounter(REPLIES);
            problems = CountMap.of(getRuntimeContext());
        }

        @Override
        public ClassifiedReply map(ClassifiedReply r) {
            replies.add(1);
            String scan = r.scanId() == null ? "census" : r.scanId();
            if (!scan.equals(lastScan)) {
                lastScan = scan;
                lastCount = problems.counter(fileOf(scan) + '\t');
            }
            lastCount[0]++;
            return r;
        }
    }

    /** Counts bad input per file and kind of problem, or late replies. */
    public static final class CountDeadLetters extends RichMapFunction<DeadLetter, DeadLetter> {
        private final boolean late;
        private transient LongCounter count;
        private transient CountMap problems;

        public CountDeadLetters(boolean late) {
            this.late = late;
        }

        @Override
        public void open(OpenContext context) {
            count = getRuntimeContext().getLongCounter(late ? LATE : DEAD_LETTERS);
            if (!late) {
                problems = CountMap.of(getRuntimeContext());
            }
        }

        @Override
        public DeadLetter map(DeadLetter d) {
            count.add(1);
            if (problems != null) {
                problems.add(fileOf(d.source()) + '\t' + kindOf(d.reason()));
            }
            return d;
        }
    }

    /**
     * Counts per key, for at most {@link #MAX_KEYS} keys (later keys are counted under "other
     * files"), so that a run over many files keeps a bounded accumulator.
     */
    public static final class CountMap implements Accumulator<String, HashMap<String, Long>> {
        static final int MAX_KEYS = 10_000;
        private HashMap<String, long[]> counts = new HashMap<>();

        /** The task's map (operators chained in one task share it). */
        static CountMap of(org.apache.flink.api.common.functions.RuntimeContext context) {
            Object existing = context.getAccumulator(PROBLEMS);
            if (existing instanceof CountMap m) {
                return m;
            }
            CountMap m = new CountMap();
            context.addAccumulator(PROBLEMS, m);
            return m;
        }

        /** The counter of a key, to increment in place. */
        long[] counter(String key) {
            long[] c = counts.get(key);
            if (c == null) {
                c =
                        counts.computeIfAbsent(
                                counts.size() >= MAX_KEYS ? "other files\t" : key,
                                k -> new long[1]);
            }
            return c;
        }

        @Override
        public void add(String key) {
            counter(key)[0]++;
        }

        @Override
        public HashMap<String, Long> getLocalValue() {
            HashMap<String, Long> out = new HashMap<>();
            counts.forEach((k, c) -> out.put(k, c[0]));
            return out;
        }

        @Override
        public void resetLocal() {
            // in place: operators hold counters of this map
            counts.values().forEach(c -> c[0] = 0);
        }

        @Override
        public void merge(Accumulator<String, HashMap<String, Long>> other) {
            other.getLocalValue().forEach((k, v) -> counter(k)[0] += v);
        }

        @Override
        public CountMap clone() {
            CountMap c = new CountMap();
            counts.forEach((k, v) -> c.counts.put(k, v.clone()));
            return c;
        }
    }
}
