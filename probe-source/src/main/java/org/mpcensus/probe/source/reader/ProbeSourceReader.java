package org.mpcensus.probe.source.reader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.mpcensus.probe.event.ProbeReply;
import org.mpcensus.probe.source.plan.ScanPlan;
import org.mpcensus.probe.source.split.ProbeSplit;
import org.mpcensus.probe.source.split.ProbeSplitState;
import org.mpcensus.probe.target.Blocklist;
import org.mpcensus.probe.target.CyclicPermutation;
import org.mpcensus.probe.target.OptOutList;
import org.mpcensus.probe.target.TargetSpace;
import org.mpcensus.probe.wire.NextHop;
import org.mpcensus.probe.wire.PcapWire;
import org.mpcensus.probe.wire.ProbeSender;
import org.mpcensus.probe.wire.RateLimiter;

/**
 * Probes its splits and emits one {@link ProbeReply} per valid, first reply. A sending thread walks
 * each split's shard of the permutation at this reader's share of the global rate; a capturing
 * thread decodes, validates and de-duplicates replies into a queue; the task thread only drains the
 * queue, tracks split completion (after the cooldown) and checkpoints positions, so it never
 * blocks. The sender pauses while the capture lags the wire by more than 50 ms or more than 65,536
 * replies wait for the task thread: a machine or a census slower than the wire slows the scan
 * (counted in {@code sendPausedMillis}) instead of overflowing the kernel's capture buffer.
 */
public final class ProbeSourceReader implements SourceReader<ProbeReply, ProbeSplit> {
    private static final long HEARTBEAT_NANOS = 50_000_000L;

    /** A wait longer than this sends the batched probes first. */
    private static final long FLUSH_BEFORE_WAIT_NANOS = 20_000L;

    private final SourceReaderContext context;
    private final ScanPlan plan;
    private final Map<String, ScanState> scans = new ConcurrentHashMap<>();
    private final Map<String, ProbeSplitState> active = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<ProbeSplitState> toSend = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<ProbeReply> replies = new ConcurrentLinkedQueue<>();

    /** Replies in {@link #replies}: the sender pauses while too many wait for the census. */
    private final AtomicInteger queued = new AtomicInteger();

    /** How far the capture is behind the wire (now minus the last frame's kernel timestamp). */
    private volatile long captureLagMicros;

    /** Replies waiting for the task thread above which the sender pauses. */
    static final int MAX_QUEUED_REPLIES = 1 << 16;

    /** Capture lag above which the sender pauses, so that the kernel's buffer never overflows. */
    static final long MAX_CAPTURE_LAG_MICROS = 50_000;

    private final ReaderCounters counters = new ReaderCounters();

    /** Every split this reader was given of its current scans, and the steps it has to walk. */
    private record Given(ProbeSplitState state, long plannedSteps) {}

    private final Map<String, Given> given = new ConcurrentHashMap<>();
    private volatile CompletableFuture<Void> available = new CompletableFuture<>();
    private volatile boolean running = true;
    private volatile boolean sending;
    private volatile Throwable failure;
    private boolean noMoreSplits;
    private boolean requested;
    private PcapWire wire;
    private int firstPort;
    private int portSlice;
    private Thread sender;
    private Thread capturer;
    private long startNanos;
    private long nextStatus;

    public ProbeSourceReader(SourceReaderContext context, ScanPlan plan) {
        this.context = context;
        this.plan = plan;
        counters.register(context.metricGroup(), () -> wire == null ? 0 : wire.dropped());
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
        ReaderVantage v = ReaderVantage.resolve(plan, readers, index);
        wire = PcapWire.open(v.interfaceName(), v.captureFilter(), 32 << 20, plan.batchedSend());
        byte[] ownMac = NextHop.interfaceMac(v.interfaceName());
        byte[] us4 = v.ipv4();
        byte[] us6 = v.ipv6();
        byte[] gatewayMac = v.gatewayMac();
        Blocklist fixed =
                Blocklist.of(
                        plan.safety().blocklist().stream().map(Path::of).toList(),
                        plan.safety().extraBlocklist().stream().map(Path::of).toList());
        OptOutList blocklist =
                new OptOutList(
                        fixed,
                        plan.safety().optOut() == null ? null : Path.of(plan.safety().optOut()));
        this.firstPort = v.firstPort();
        this.portSlice = v.portSlice();
        ProbeSender probeSender =
                new ProbeSender(wire, ownMac, gatewayMac, us4, us6, blocklist, plan.v0Key());
        double share = plan.pace().rate() / readers;
        ReplyMatcher matcher =
                new ReplyMatcher(
                        plan.origin().vantage(), probeSender::probeOptions, us4, us6, counters);
        capturer = new Thread(() -> capture(matcher), "mpcensus-capture-" + index);
        sender =
                new Thread(
                        () -> send(probeSender, new RateLimiter(share)), "mpcensus-send-" + index);
        capturer.setDaemon(true);
        sender.setDaemon(true);
        capturer.start();
        sender.start();
    }

    private void send(ProbeSender probeSender, RateLimiter limiter) {
        long deadline =
                plan.pace().durationMillis() < 0
                        ? Long.MAX_VALUE
                        : startNanos + plan.pace().durationMillis() * 1_000_000L;
        long perShard = plan.maxProbesPerShard();
        try {
            while (running) {
                ProbeSplitState state = toSend.poll(100, TimeUnit.MILLISECONDS);
                if (state == null) {
                    continue;
                }
                sending = true;
                ProbeSplit s = state.split();
                ScanState keys = scans.get(s.scanId());
                CyclicPermutation.Cursor cursor =
                        keys.permutation().cursor(s.shard(), s.shards(), state.steps());
                long probes = 0;
                long index;
                while (running
                        && (perShard < 0 || state.steps() < perShard)
                        && System.nanoTime() < deadline
                        && (index = cursor.next()) >= 0) {
                    TargetSpace.Probe p = plan.space().probe(index);
                    // Blocked probes take no slot of the rate; send() checks the blocklist again.
                    if (behind()) {
                        // The census or the capture cannot keep up: wait rather than lose replies.
                        probeSender.flush();
                        long t0 = System.nanoTime();
                        while (running && behind()) {
                            LockSupport.parkNanos(1_000_000);
                        }
                        counters.pausedNanos.addAndGet(System.nanoTime() - t0);
                    }
                    if (!probeSender.blocks(p.address())) {
                        // A batch goes out before the sender waits, so no probe waits for others.
                        if (limiter.nanosUntilDue() > FLUSH_BEFORE_WAIT_NANOS) {
                            probeSender.flush();
                        }
                        if (!limiter.acquire()) {
                            return;
                        }
                    }
                    ProbeSender.Outcome outcome =
                            probeSender.send(p.address(), p.port(), p.version(), keys.sending());
                    if (outcome == ProbeSender.Outcome.SENT) {
                        counters.sent.incrementAndGet();
                    } else {
                        counters.blocked.incrementAndGet();
                    }
                    state.setSteps(cursor.steps(), System.nanoTime());
                    probes++;
                }
                probeSender.flush();
                state.markSendingDone(System.nanoTime());
                sending = false;
                available.complete(null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
            available.complete(null);
        }
    }

    /** Whether replies wait for the census, or frames for the capture, longer than they should. */
    private boolean behind() {
        return queued.get() > MAX_QUEUED_REPLIES || captureLagMicros > MAX_CAPTURE_LAG_MICROS;
    }

    private void capture(ReplyMatcher matcher) {
        long lastSignal = System.nanoTime();
        try {
            while (running) {
                byte[] frame = wire.poll();
                long now = System.nanoTime();
                captureLagMicros =
                        frame == null
                                ? 0
                                : System.currentTimeMillis() * 1000 - wire.lastTimestampMicros();
                if (frame == null) {
                    if (now - lastSignal > HEARTBEAT_NANOS) {
                        lastSignal = now;
                        available.complete(null);
                    }
                    LockSupport.parkNanos(100_000);
                    continue;
                }
                ProbeReply r = matcher.fromFrame(frame, wire.lastTimestampMicros(), scans.values());
                if (r != null) {
                    queued.incrementAndGet();
                    replies.add(r);
                    available.complete(null);
                    lastSignal = now;
                }
            }
        } catch (Throwable t) {
            failure = t;
            available.complete(null);
        }
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
            queued.decrementAndGet();
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
        boolean idle = toSend.isEmpty() && !sending;
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
                        wire == null ? 0 : wire.dropped()));
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
            if (wire == null) {
                try {
                    openWire();
                } catch (IOException e) {
                    throw new RuntimeException(e.getMessage(), e);
                }
            }
            ScanState scan =
                    scans.computeIfAbsent(
                            s.scanId(), id -> ScanState.of(s, plan, firstPort, portSlice));
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
        running = false;
        for (Thread t : new Thread[] {sender, capturer}) {
            if (t != null) {
                t.interrupt();
                t.join(2000);
            }
        }
        if (wire != null) {
            wire.close();
        }
    }
}
