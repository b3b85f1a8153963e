package org.mpcensus.job.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.mpcensus.job.output.CensusOutput;
import org.mpcensus.job.path.PathRow;
import org.mpcensus.job.runtime.CensusOptions;
import org.mpcensus.probe.http.HttpOptions;
import org.mpcensus.probe.http.HttpTimer;
import org.mpcensus.probe.http.HttpTiming;
import org.mpcensus.probe.source.plan.ScanPlan;
import org.mpcensus.udf.classify.ClassifiedReply;
import org.mpcensus.udf.month.Months;
import org.mpcensus.udf.scope.HostOfInterest;

/**
 * HTTP(S) timing as a stage of the job, as the published studies measured what MPTCP changes for a
 * user: the hosts of {@link HttpOptions#CATEGORIES}, each once per month and port, get {@link
 * HttpOptions#RUNS} paired runs (a GET over MPTCP and one over TCP, order alternated), {@link
 * HttpOptions#PERIOD} apart (keyed processing-time timers, so a restored job makes the runs still
 * due), through {@link HttpTimingFunction}. Every GET is a row of {@code census_http}; each
 * target's medians of MPTCP minus TCP are kept in {@code census_http_deltas}.
 */
public final class HttpStage {
    private HttpStage() {}

    /** Targets among classified replies, by classification (path verification off). */
    public static DataStream<HostOfInterest> targets(
            DataStream<ClassifiedReply> replies, HttpCategories categories) {
        return replies.filter(r -> categories.classifications().contains(r.classification()))
                .name("http-candidates")
                .uid("http-candidates")
                .map(HostOfInterest::of)
                .name("http-targets")
                .uid("http-targets");
    }

    /** Targets among verified paths, by path category. */
    public static DataStream<HostOfInterest> targetsOfPaths(
            DataStream<PathRow> paths, HttpCategories categories) {
        return paths.filter(p -> categories.paths().contains(p.result().category()))
                .name("http-candidates")
                .uid("http-candidates")
                .map(p -> p.request().verified(p.result().category()))
                .name("http-targets")
                .uid("http-targets");
    }

    /**
     * Times each target's runs.
     *
     * @param latenessMonths L: that a target had its runs is kept until the end of its month + L
     */
    public static DataStream<HttpRunResult> time(
            DataStream<HostOfInterest> targets,
            ScanPlan.Safety safety,
            Configuration conf,
            int latenessMonths) {
        return time(targets, safety, conf, latenessMonths, 0);
    }

    /**
     * The same, with runs numbered from {@code firstRun}: after the runs the census holds, so that
     * a later run adds its GETs to theirs.
     */
    public static DataStream<HttpRunResult> time(
            DataStream<HostOfInterest> targets,
            ScanPlan.Safety safety,
            Configuration conf,
            int latenessMonths,
            int firstRun) {
        HttpTimer.Settings settings = HttpOptions.settings(conf);
        int runs = conf.get(HttpOptions.RUNS);
        long period = conf.get(HttpOptions.PERIOD).toMillis();
        int concurrency = conf.get(HttpOptions.CONCURRENCY);
        double rate = conf.get(HttpOptions.RATE);
        DataStream<HttpRun> scheduled =
                targets.keyBy(HttpStage::key)
                        .process(new Schedule(runs, period, latenessMonths, firstRun))
                        .name("http-schedule")
                        .uid("http-schedule");
        // Two GETs of at most the timeout each, after waiting for the turns of the runs ahead.
        long timeoutMillis =
                2 * settings.timeoutMillis()
                        + (long) (2000.0 * concurrency / rate)
                        + Duration.ofSeconds(10).toMillis();
        return AsyncDataStream.unorderedWait(
                        scheduled,
                        new HttpTimingFunction(safety, settings, rate, concurrency),
                        timeoutMillis,
                        TimeUnit.MILLISECONDS,
                        concurrency)
                .name("http-timing")
                .uid("http-timing");
    }

    /** The rows of {@code census_http}: each run's two GETs. */
    public static DataStream<HttpRow> rows(DataStream<HttpRunResult> results) {
        return results.flatMap(
                        (HttpRunResult r, Collector<HttpRow> out) -> {
                            out.collect(new HttpRow(r.run(), r.mptcp(), r.startedMicros()));
                            out.collect(new HttpRow(r.run(), r.tcp(), r.startedMicros()));
                        })
                .returns(TypeInformation.of(HttpRow.class))
                .name("http-rows")
                .uid("http-rows");
    }

    /** The rows of {@code census_http_deltas}, updated with each run. */
    public static DataStream<HttpDeltaRow> deltas(
            DataStream<HttpRunResult> results, Configuration conf, int latenessMonths) {
        return results.keyBy(r -> key(r.run().target()))
                .process(new Deltas(conf.get(HttpOptions.RUNS), latenessMonths))
                .name("http-deltas")
                .uid("http-deltas");
    }

    /**
     * Lets the first target of a key through as its runs: all at once when the period is 0, else
     * one now and the next each period later, on processing-time timers. The target goes with its
     * last run; that the key had its runs stays until the watermark passes the end of its month
     * plus the lateness (so a target found again that month is not timed again), then all of the
     * key's state goes.
     */
    static final class Schedule extends KeyedProcessFunction<String, HostOfInterest, HttpRun> {
        private final int runs;
        private final long periodMillis;
        private final int latenessMonths;
        private final int firstRun;
        private transient ValueState<HostOfInterest> target;
        private transient ValueState<Integer> next;

        Schedule(int runs, long periodMillis, int latenessMonths, int firstRun) {
            this.runs = runs;
            this.periodMillis = periodMillis;
            this.latenessMonths = latenessMonths;
            this.firstRun = firstRun;
        }

        @Override
        public void open(OpenContext context) {
            target =
                    getRuntimeContext()
                            .getState(
                                    new ValueStateDescriptor<>(
                                            "target", TypeInformation.of(HostOfInterest.class)));
            next = getRuntimeContext().getState(new ValueStateDescriptor<>("next", Types.INT));
        }

        @Override
        public void processElement(HostOfInterest t, Context ctx, Collector<HttpRun> out)
                throws Exception {
            long expiry = Months.lateFrom(t.scope().month(), latenessMonths);
            if (next.value() != null || expiry <= ctx.timerService().currentWatermark()) {
                return;
            }
            ctx.timerService().registerEventTimeTimer(expiry);
            if (periodMillis == 0) {
                for (int i = 0; i < runs; i++) {
                    out.collect(run(t, i));
                }
                next.update(runs);
                return;
            }
            out.collect(run(t, 0));
            next.update(1);
            if (runs > 1) {
                target.update(t);
                ctx.timerService()
                        .registerProcessingTimeTimer(
                                ctx.timerService().currentProcessingTime() + periodMillis);
            }
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<HttpRun> out)
                throws Exception {
            if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
                // The month is over: forget the key, unless runs are still due (they end it).
                if (target.value() == null) {
                    next.clear();
                }
                return;
            }
            HostOfInterest t = target.value();
            int i = next.value();
            out.collect(run(t, i));
            next.update(i + 1);
            if (i + 1 < runs) {
                ctx.timerService().registerProcessingTimeTimer(timestamp + periodMillis);
                return;
            }
            target.clear();
            if (Months.lateFrom(t.scope().month(), latenessMonths)
                    <= ctx.timerService().currentWatermark()) {
                next.clear();
            }
        }

        private HttpRun run(HostOfInterest t, int i) {
            return new HttpRun(t, firstRun + i, i % 2 == 0);
        }
    }

    /**
     * A target's runs so far, and their medians. The runs go with the last of them, or when the
     * watermark passes the end of the target's month plus the lateness, whichever comes first.
     */
    static final class Deltas extends KeyedProcessFunction<String, HttpRunResult, HttpDeltaRow> {
        private final int runsPerTarget;
        private final int latenessMonths;
        private transient ListState<HttpRunResult> runs;

        Deltas(int runsPerTarget, int latenessMonths) {
            this.runsPerTarget = runsPerTarget;
            this.latenessMonths = latenessMonths;
        }

        @Override
        public void open(OpenContext context) {
            runs =
                    getRuntimeContext()
                            .getListState(
                                    new ListStateDescriptor<>(
                                            "runs", TypeInformation.of(HttpRunResult.class)));
        }

        @Override
        public void processElement(HttpRunResult r, Context ctx, Collector<HttpDeltaRow> out)
                throws Exception {
            List<HttpRunResult> all = new ArrayList<>();
            runs.get().forEach(all::add);
            long expiry = Months.lateFrom(r.run().target().scope().month(), latenessMonths);
            if (all.isEmpty()) {
                ctx.timerService().registerEventTimeTimer(expiry);
            }
            all.add(r);
            out.collect(summarize(r.run().target(), all));
            if (all.size() >= runsPerTarget) {
                runs.clear();
                ctx.timerService().deleteEventTimeTimer(expiry);
            } else {
                runs.add(r);
            }
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<HttpDeltaRow> out) {
            runs.clear();
        }
    }

    /** The delta row of a target's runs. */
    public static HttpDeltaRow summarize(HostOfInterest target, List<HttpRunResult> runs) {
        int answered = 0;
        int mptcp = 0;
        for (HttpRunResult r : runs) {
            if (r.mptcp().answered() && r.tcp().answered()) {
                answered++;
            }
            if (r.mptcp().mptcpUsed()) {
                mptcp++;
            }
        }
        return new HttpDeltaRow(
                target,
                runs.size(),
                answered,
                mptcp,
                median(runs, HttpTiming::connectMs),
                median(runs, HttpTiming::tlsMs),
                median(runs, HttpTiming::firstByteMs),
                median(runs, HttpTiming::totalMs));
    }

    /** The key a target is timed once under: month, host and port. */
    static String key(HostOfInterest t) {
        return t.scope().month() + '|' + t.host() + '|' + t.scope().port();
    }

    /** The median over runs of MPTCP minus TCP of a time, or null when no run has both. */
    static Double median(List<HttpRunResult> runs, Function<HttpTiming, Double> time) {
        double[] d =
                runs.stream()
                        .map(r -> HttpRunResult.delta(time.apply(r.mptcp()), time.apply(r.tcp())))
                        .filter(x -> x != null)
                        .mapToDouble(Double::doubleValue)
                        .toArray();
        if (d.length == 0) {
            return null;
        }
        Arrays.sort(d);
        int m = d.length / 2;
        double v = d.length % 2 == 1 ? d[m] : (d[m - 1] + d[m]) / 2;
        return Math.round(v * 1000) / 1000.0;
    }

    /**
     * Times the targets' GETs (runs numbered from {@code firstRun}) and writes {@code census_http}
     * and {@code census_http_deltas} to every output.
     */
    public static void timeInto(
            List<? extends CensusOutput> outputs,
            DataStream<HostOfInterest> targets,
            ScanPlan.Safety safety,
            Configuration conf,
            int firstRun) {
        int lateness = conf.get(CensusOptions.LATENESS_MONTHS);
        DataStream<HttpRunResult> results = time(targets, safety, conf, lateness, firstRun);
        CensusOutput.writeAll(outputs, HttpTables.HTTP, rows(results));
        CensusOutput.writeAll(outputs, HttpTables.DELTAS, deltas(results, conf, lateness));
    }
}
