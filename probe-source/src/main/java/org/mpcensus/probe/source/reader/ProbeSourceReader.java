package org.mpcensus.probe.source.reader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.mpcensus.probe.event.ProbeReply;
import org.mpcensus.probe.source.plan.ScanPlan;
import org.mpcensus.probe.source.split.ProbeSplit;
import org.mpcensus.probe.source.split.ProbeSplitState;
import org.mpcensus.probe.target.OptOutList;
import org.mpcensus.probe.wire.ProbeSender;
import org.mpcensus.probe.wire.RateLimiter;

/**
 * Probes its splits and emits one {@link ProbeReply} per valid, first reply. A {@link SendLoop}
 * walks each split's shard of the permutation at this reader's share of the global rate; a {@link
 * CaptureLoop} decodes, validates and de-duplicates replies into a queue; the task thread only
 * drains the queue, tracks split completion (after the cooldown) and checkpoints positions, so it
 * never blocks. The sender pauses while the capture lags the wire by more than 50 ms or more than
 * 65,536 replies wait for the task thread: a machine or a census slower than the wire slows the
 * scan (counted in {@code sendPausedMillis}) instead of overflowing the kernel's capture buffer.
 */
public final class ProbeSourceReader implements SourceReader<ProbeReply, ProbeSplit> {
    /** Replies waiting for the task thread above which the sender pauses. */
    static final int MAX_QUEUED_REPLIES = 1 << 16;

    /** Capture lag above which the sender pauses, so that the kernel's buffer never overflows. */
    static final long MAX_CAPTURE_LAG_MICROS = 50_000;

    private final SourceReaderContext context;
    private final ScanPlan plan;
    private final ReaderLink.Opener opener;
    private final Map<String, ScanState> scans = new ConcurrentHashMap<>();
    private final Map<String, ProbeSplitState> active = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<ProbeSplitState> toSend = new LinkedBlockingQueue<>();
    private final ReplyQueue replies = new ReplyQueue();
    private final ReaderCounters counters = new ReaderCounters();

    /** Every split this reader was given of its current scans, and the steps it has to walk. */
    private record Given(ProbeSplitState state, long plannedSteps) {}

    private final Map<String, Given> given = new ConcurrentHashMap<>();
    private volatile CompletableFuture<Void> available = new CompletableFuture<>();
    private volatile Throwable failure;
    private boolean noMoreSplits;
    private boolean requested;
    private ReaderLink link;
    private SendLoop sendLoop;
    private CaptureLoop captureLoop;
    private Thread sender;
    private Thread capturer;
    private long startNanos;
    private long nextStatus;

    public ProbeSourceReader(SourceReaderContext context, ScanPlan plan) {
        this(context, plan, ReaderLink::open);
    }

    /** A reader on the links {@code opener} opens (tests give it a wire of their own). */
    ProbeSourceReader(SourceReaderContext context, ScanPlan plan, ReaderLink.Opener opener) {
        this.context = context;
        this.plan = plan;
        this.opener = opener;
        counters.register(context.metricGroup(), () -> link == null ? 0 : link.wire().dropped());
    }

    @Override
    public void start() {
        startNanos = System.nanoTime();
        nextStatus = startNanos + 1_000_000_000L;
    }

    /** Opens the wire on the first split (so idle readers need no capabilities). */
    private void openWire() throws IOException {
        int readers = Math.max(1, context.currentParallelism());
        int index = context.getIndexOfSubtask();
        link = opener.open(plan, readers, index);
        ReaderVantage v = link.vantage();
        OptOutList blocklist = plan.safety().open();
        ProbeSender probeSender =
                new ProbeSender(
                        link.wire(),
                        link.ownMac(),
                        v.gatewayMac(),
                        v.ipv4(),
                        v.ipv6(),
                        blocklist,
                        plan.v0Key());
        ReplyMatcher matcher =
                new ReplyMatcher(
                        plan.origin().vantage(),
                        probeSender::probeOptions,
                        v.ipv4(),
                        v.ipv6(),
                        counters);
        captureLoop =
                new CaptureLoop(link.wire(), matcher, scans, replies, this::signal, this::fail);
        sendLoop =
                new SendLoop(
                        plan,
                        scans,
                        toSend,
                        probeSender,
                        new RateLimiter(plan.pace().rate() / readers),
                        counters,
                        this::behind,
                        this::signal,
                        this::fail,
                        startNanos);
        capturer = new Thread(captureLoop, "mpcensus-capture-" + index);
        sender = new Thread(sendLoop, "mpcensus-send-" + index);
        capturer.setDaemon(true);
        sender.setDaemon(true);
        capturer.start();
        sender.start();
    }

    /** Wakes the task thread. */
    private void signal() {
        available.complete(null);
    }

    private void fail(Throwable t) {
        failure = t;
        available.complete(null);
    }

    /** Whether replies wait for the census, or frames for the capture, longer than they should. */
    private boolean behind() {
        return replies.size() > MAX_QUEUED_REPLIES
                || captureLoop.lagMicros() > MAX_CAPTURE_LAG_MICROS;
    }

    @Override
    public InputStatus pollNext(ReaderOutput<ProbeReply> output) throws Exception {
        if (available.isDone()) {
            available = new CompletableFuture<>();
        }
        if (failure != null) {
            throw new IOException("prober failed: " + failure.getMessage(), failure);
        }
        int emitted = 0;
        ProbeReply r;
        while (emitted < 1000 && (r = replies.poll()) != null) {
            output.collect(r, r.captureTimeMicros() / 1000);
            emitted++;
        }
        long now = System.nanoTime();
        if (active.values()
                .removeIf(s -> s.finished(now, plan.pace().cooldownMillis() * 1_000_000L))) {
            // A scan none of whose splits is here any more takes no more replies on this reader.
            scans.keySet()
                    .removeIf(
                            id ->
                                    active.values().stream()
                                            .noneMatch(a -> a.split().scanId().equals(id)));
            given.values().removeIf(g -> !scans.containsKey(g.state().split().scanId()));
        }
        if (plan.status() && now >= nextStatus) {
            nextStatus = now + 1_000_000_000L;
            printStatus(now);
        }
        if (emitted > 0) {
            return InputStatus.MORE_AVAILABLE;
        }
        boolean idle = toSend.isEmpty() && (sendLoop == null || !sendLoop.sending());
        if (idle
                && !noMoreSplits
                && !requested
                && active.values().stream().allMatch(ProbeSplitState::sendingDone)) {
            requested = true;
            context.sendSplitRequest();
        }
        if (noMoreSplits && active.isEmpty() && replies.isEmpty()) {
            return InputStatus.END_OF_INPUT;
        }
        return InputStatus.NOTHING_AVAILABLE;
    }

    private void printStatus(long now) {
        long steps = 0;
        long planned = 0;
        for (Given g : given.values()) {
            steps += g.state().steps();
            planned += g.plannedSteps();
        }
        System.err.println(
                ReaderStatus.line(
                        plan.scanId(),
                        context.getIndexOfSubtask(),
                        (now - startNanos) / 1e9,
                        given.size(),
                        steps,
                        planned,
                        plan.pace().rate() / Math.max(1, context.currentParallelism()),
                        counters,
                        link == null ? 0 : link.wire().dropped()));
    }

    @Override
    public List<ProbeSplit> snapshotState(long checkpointId) {
        List<ProbeSplit> out = new ArrayList<>();
        long now = System.nanoTime();
        for (ProbeSplitState s : active.values()) {
            out.add(s.toSplit(now));
        }
        return out;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return available;
    }

    @Override
    public void addSplits(List<ProbeSplit> splits) {
        for (ProbeSplit s : splits) {
            if (link == null) {
                try {
                    openWire();
                } catch (IOException e) {
                    throw new RuntimeException(e.getMessage(), e);
                }
            }
            ScanState scan =
                    scans.computeIfAbsent(
                            s.scanId(),
                            id ->
                                    ScanState.of(
                                            s,
                                            plan,
                                            link.vantage().firstPort(),
                                            link.vantage().portSlice()));
            ProbeSplitState state =
                    new ProbeSplitState(s, plan.pace().replyWindowMillis() * 1_000_000L);
            active.put(s.splitId(), state);
            long total = scan.permutation().cursor(s.shard(), s.shards(), 0).total();
            long perShard = plan.maxProbesPerShard();
            given.put(
                    s.splitId(),
                    new Given(state, perShard < 0 ? total : Math.min(total, perShard)));
            toSend.add(state);
        }
        requested = false;
        available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        available.complete(null);
    }

    @Override
    public void close() throws Exception {
        if (sendLoop != null) {
            sendLoop.stop();
            captureLoop.stop();
        }
        for (Thread t : new Thread[] {sender, capturer}) {
            if (t != null) {
                t.interrupt();
                t.join(2000);
            }
        }
        if (link != null) {
            link.wire().close();
        }
    }
}
