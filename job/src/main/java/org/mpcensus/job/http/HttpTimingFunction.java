package org.mpcensus.job.http;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.mpcensus.probe.event.StageProgress;
import org.mpcensus.probe.http.HttpTimer;
import org.mpcensus.probe.http.HttpTiming;
import org.mpcensus.probe.http.Transport;
import org.mpcensus.probe.source.plan.ScanPlan;
import org.mpcensus.probe.wire.RateLimiter;

/**
 * Flink's async I/O over an {@link HttpTimer}: each subtask makes up to its async capacity of
 * paired runs at once on its own threads, at its share of the job's connection rate, the MPTCP and
 * the TCP GET of a run back to back in the run's order. A run that outlives the async timeout has
 * both GETs failed with {@code TIMEOUT}.
 */
public final class HttpTimingFunction extends RichAsyncFunction<HttpRun, HttpRunResult> {
    private final ScanPlan.Safety safety;
    private final HttpTimer.Settings settings;
    private final double rate;
    private final int concurrency;
    private transient HttpTimer timer;
    private transient RateLimiter limiter;
    private transient ExecutorService threads;
    private transient AtomicLong gets;
    private transient AtomicLong mptcpUsed;
    private transient AtomicLong failed;

    /**
     * @param safety the blocklist and opt-out list every GET passes
     * @param rate connections per second of the whole job
     * @param concurrency runs at once per subtask
     */
    public HttpTimingFunction(
            ScanPlan.Safety safety, HttpTimer.Settings settings, double rate, int concurrency) {
        this.safety = safety;
        this.settings = settings;
        this.rate = rate;
        this.concurrency = concurrency;
    }

    @Override
    public void open(OpenContext context) throws Exception {
        timer = new HttpTimer(settings, safety.open());
        int subtasks = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        limiter = new RateLimiter(rate / subtasks);
        threads =
                Executors.newFixedThreadPool(
                        concurrency,
                        r -> {
                            Thread t = new Thread(r, "mpcensus-http");
                            t.setDaemon(true);
                            return t;
                        });
        gets = new AtomicLong();
        mptcpUsed = new AtomicLong();
        failed = new AtomicLong();
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("http");
        g.<Long, Gauge<Long>>gauge("gets", gets::get);
        g.<Long, Gauge<Long>>gauge("mptcpUsed", mptcpUsed::get);
        g.<Long, Gauge<Long>>gauge("failed", failed::get);
    }

    @Override
    public void asyncInvoke(HttpRun run, ResultFuture<HttpRunResult> out) {
        StageProgress.HTTP.begun();
        CompletableFuture.supplyAsync(() -> pair(run), threads)
                .whenComplete(
                        (result, error) -> {
                            StageProgress.HTTP.done();
                            if (error != null) {
                                out.completeExceptionally(error);
                            } else {
                                out.complete(List.of(result));
                            }
                        });
    }

    /** The run's two GETs, in its order. */
    private HttpRunResult pair(HttpRun run) {
        long started = System.currentTimeMillis() * 1000;
        HttpTiming first = get(run, run.mptcpFirst());
        HttpTiming second = get(run, !run.mptcpFirst());
        return run.mptcpFirst()
                ? new HttpRunResult(run, first, second, started)
                : new HttpRunResult(run, second, first, started);
    }

    private HttpTiming get(HttpRun run, boolean mptcp) {
        synchronized (limiter) {
            if (!limiter.acquire()) {
                Thread.currentThread().interrupt();
                return HttpTiming.failed(mptcp ? Transport.MPTCP : Transport.TCP, "INTERRUPTED");
            }
        }
        HttpTiming t = timer.get(run.target().host(), run.target().scope().port(), mptcp);
        gets.incrementAndGet();
        if (t.mptcpUsed()) {
            mptcpUsed.incrementAndGet();
        }
        if (t.error() != null) {
            failed.incrementAndGet();
        }
        return t;
    }

    @Override
    public void timeout(HttpRun run, ResultFuture<HttpRunResult> out) {
        out.complete(
                List.of(
                        new HttpRunResult(
                                run,
                                HttpTiming.failed(Transport.MPTCP, "TIMEOUT"),
                                HttpTiming.failed(Transport.TCP, "TIMEOUT"),
                                System.currentTimeMillis() * 1000)));
    }

    @Override
    public void close() throws InterruptedException {
        if (threads != null) {
            threads.shutdownNow();
            threads.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
