package org.mpcensus.job.path;

import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.mpcensus.probe.event.StageProgress;
import org.mpcensus.probe.path.PathLink;
import org.mpcensus.probe.path.PathProber;
import org.mpcensus.probe.path.PathResult;
import org.mpcensus.probe.path.TargetAnswer;
import org.mpcensus.probe.source.plan.ScanPlan;
import org.mpcensus.udf.scope.HostOfInterest;

/**
 * Flink's async I/O over a {@link PathProber}: each subtask opens its prober on the scan's
 * interface when its first host arrives (so subtasks without work need no capabilities), at its
 * share of the job's path probe rate, and keeps up to the async capacity of hosts in flight. A host
 * that outlives the async timeout is {@code UNREACHABLE} with the answer {@code TIMEOUT}; a wire
 * that fails fails the job (it restarts from the last checkpoint, which holds the hosts in flight).
 */
public final class PathVerifyFunction extends RichAsyncFunction<HostOfInterest, PathRow> {
    private final ScanPlan plan;
    private final PathProber.Settings settings;
    private transient PathProber prober;

    public PathVerifyFunction(ScanPlan plan, PathProber.Settings settings) {
        this.plan = plan;
        this.settings = settings;
    }

    @Override
    public void open(OpenContext context) {
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("paths");
        g.<Long, Gauge<Long>>gauge(
                "probesSent", () -> prober == null ? 0L : (long) prober.sent.get());
        g.<Long, Gauge<Long>>gauge(
                "probesBlocked", () -> prober == null ? 0L : (long) prober.blocked.get());
        g.<Long, Gauge<Long>>gauge(
                "quotesMatched", () -> prober == null ? 0L : (long) prober.quotes.get());
        g.<Long, Gauge<Long>>gauge(
                "answersMatched", () -> prober == null ? 0L : (long) prober.answers.get());
        g.<Long, Gauge<Long>>gauge(
                "framesMalformed", () -> prober == null ? 0L : (long) prober.malformed.get());
        g.<Long, Gauge<Long>>gauge(
                "hostsInFlight", () -> prober == null ? 0L : (long) prober.inFlight());
    }

    @Override
    public void asyncInvoke(HostOfInterest request, ResultFuture<PathRow> out) throws Exception {
        if (prober == null) {
            // The job's rate, shared by its verifying subtasks as the scan's is by its readers.
            int subtasks = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
            prober = PathLink.open(plan, settings.withRate(settings.rate() / subtasks));
        }
        StageProgress.PATHS.begun();
        prober.verify(request.host(), request.scope().port(), request.scope().probedVersion())
                .whenComplete(
                        (result, error) -> {
                            StageProgress.PATHS.done();
                            if (error != null) {
                                out.completeExceptionally(error);
                            } else {
                                out.complete(List.of(new PathRow(request, result)));
                            }
                        });
    }

    @Override
    public void timeout(HostOfInterest request, ResultFuture<PathRow> out) {
        out.complete(
                List.of(
                        new PathRow(
                                request,
                                PathResult.unreachable(
                                        request.host(),
                                        request.scope().port(),
                                        request.scope().probedVersion(),
                                        TargetAnswer.TIMEOUT,
                                        System.currentTimeMillis() * 1000))));
    }

    @Override
    public void close() throws ExecutionException {
        if (prober != null) {
            prober.close();
        }
    }
}
