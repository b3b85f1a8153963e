package org.mpcensus.job.path;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.mpcensus.probe.path.PathLink;
import org.mpcensus.probe.path.PathOptions;
import org.mpcensus.probe.path.PathProber;
import org.mpcensus.probe.source.plan.ScanPlan;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.classify.ClassifiedReply;
import org.mpcensus.udf.enrich.Enrichment;
import org.mpcensus.udf.month.Months;
import org.mpcensus.udf.scope.HostOfInterest;
import org.mpcensus.udf.scope.Scope;

/**
 * Path verification as a stage of the job: the hosts whose classification is one of {@link
 * PathOptions#CLASSES}, each once per month, port and version (deduplicated in keyed state, so a
 * host answering every day of a month is verified once), go through {@link PathVerifyFunction} with
 * its own rate budget; the verdicts are the rows of {@code census_paths} (counted by the view
 * {@code census_path_counts}, from every path the census holds).
 */
public final class PathStage {
    private PathStage() {}

    /** The hosts to verify among classified replies. */
    public static DataStream<HostOfInterest> requests(
            DataStream<ClassifiedReply> replies, List<Classification> classes) {
        Set<Classification> wanted = Set.copyOf(classes);
        return replies.filter(r -> wanted.contains(r.classification()))
                .name("path-candidates")
                .uid("path-candidates")
                .map(HostOfInterest::of)
                .name("path-requests")
                .uid("path-requests");
    }

    /**
     * Verifies each request's host once per month, port and version.
     *
     * @param latenessMonths L: that a host was verified is kept until the end of its month + L
     */
    public static DataStream<PathRow> verify(
            DataStream<HostOfInterest> requests,
            ScanPlan plan,
            Configuration conf,
            int latenessMonths) {
        PathProber.Settings settings = PathLink.settings(conf, plan);
        DataStream<HostOfInterest> once =
                requests.keyBy(PathStage::key)
                        .process(new FirstPerKey(latenessMonths))
                        .name("path-once")
                        .uid("path-once");
        // A host takes at most max-ttl hops of hop-timeout, and waits for its turn at the rate.
        long timeoutMillis =
                settings.maxTtl() * settings.hopTimeoutMillis()
                        + (long)
                                (1000
                                        * conf.get(PathOptions.CONCURRENCY)
                                        * settings.maxTtl()
                                        / settings.rate())
                        + Duration.ofSeconds(10).toMillis();
        return AsyncDataStream.unorderedWait(
                        once,
                        new PathVerifyFunction(plan, settings),
                        timeoutMillis,
                        TimeUnit.MILLISECONDS,
                        conf.get(PathOptions.CONCURRENCY))
                .name("path-verify")
                .uid("path-verify");
    }

    /** The classifications whose hosts get their paths verified ({@link PathOptions#CLASSES}). */
    public static List<Classification> classes(Configuration conf) {
        return conf.get(PathOptions.CLASSES).stream().map(Classification::valueOf).toList();
    }

    /** The key a host is verified once under: month, host, port and probed version. */
    static String key(HostOfInterest h) {
        Scope s = h.scope();
        return s.month() + '|' + h.host() + '|' + s.port() + '|' + s.probedVersion();
    }

    /**
     * Requests of hosts the census did not find (a list given to {@code mpcensus verify}) with
     * their origin AS and country from the enrichment tables, loaded once per subtask.
     */
    public static final class Locate extends Enrichment.Located<HostOfInterest> {
        /** The tables of {@link Enrichment#Enrichment}, each of them null when not given. */
        public Locate(String asnTableFile, String countryDb) {
            super(asnTableFile, countryDb);
        }

        @Override
        protected HostOfInterest locate(Enrichment tables, HostOfInterest r) throws IOException {
            return r.withLocation(tables.asnOf(r.host()), tables.countryOf(r.host(), r.country()));
        }
    }

    /**
     * Lets the first request of a key (month, host, port, version) through. That the key was seen
     * stays until the watermark passes the end of its month plus the lateness; a request that comes
     * later still (its reply was too late for the census) is not verified.
     */
    static final class FirstPerKey
            extends KeyedProcessFunction<String, HostOfInterest, HostOfInterest> {
        private final int latenessMonths;
        private transient ValueState<Boolean> seen;

        FirstPerKey(int latenessMonths) {
            this.latenessMonths = latenessMonths;
        }

        @Override
        public void open(OpenContext context) {
            seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.BOOLEAN));
        }

        @Override
        public void processElement(HostOfInterest r, Context ctx, Collector<HostOfInterest> out)
                throws Exception {
            long expiry = Months.lateFrom(r.scope().month(), latenessMonths);
            if (seen.value() != null || expiry <= ctx.timerService().currentWatermark()) {
                return;
            }
            seen.update(true);
            ctx.timerService().registerEventTimeTimer(expiry);
            out.collect(r);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<HostOfInterest> out) {
            seen.clear();
        }
    }
}
