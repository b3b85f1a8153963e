package org.mpcensus.probe.path;

import java.io.Closeable;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.mpcensus.probe.packet.IcmpQuote;
import org.mpcensus.probe.packet.IpAddress;
import org.mpcensus.probe.packet.MpCapable;
import org.mpcensus.probe.packet.PacketDecoder;
import org.mpcensus.probe.packet.SynProbe;
import org.mpcensus.probe.packet.TcpSegment;
import org.mpcensus.probe.wire.ProbeSender;
import org.mpcensus.probe.wire.ProbeValidator;
import org.mpcensus.probe.wire.RateLimiter;
import org.mpcensus.probe.wire.Wire;

/**
 * Tracebox with MP_CAPABLE, for many hosts at once: for each host it sends the scan's probe (same
 * options, same version) with TTL 1, 2, 3, ..., the next as soon as a hop answers or after the hop
 * timeout, until the target answers, a router says the destination is unreachable, {@code
 * silentHops} hops in a row stay silent, or {@code maxTtl} is reached; then {@link PathVerdict}
 * judges what the hops' quotes and the target's answer said.
 *
 * <p>Like the scan it keeps no per-probe state to match answers: the sequence number and source
 * port of each path probe are a keyed MAC of (us, target, port, version and TTL), so an ICMP quote
 * or a SYN-ACK is ours, and says which TTL it answers, only if it carries that MAC. Probes go
 * through {@link ProbeSender} (blocklist and opt-outs) at {@code rate} per second.
 */
public final class PathProber implements Closeable {
    /** Settings of a prober. */
    public record Settings(
            int maxTtl,
            int silentHops,
            long hopTimeoutMillis,
            double rate,
            int sourcePortFirst,
            int sourcePortCount,
            long v0Key)
            implements java.io.Serializable {
        /** The same settings at another rate (a subtask's share of the job's). */
        public Settings withRate(double perSecond) {
            return new Settings(
                    maxTtl,
                    silentHops,
                    hopTimeoutMillis,
                    perSecond,
                    sourcePortFirst,
                    sourcePortCount,
                    v0Key);
        }
    }

    private final Wire wire;
    private final ProbeSender sender;
    private final byte[] us4;
    private final byte[] us6;
    private final Settings settings;
    private final int codes;
    private final ProbeValidator sending;
    private final ProbeValidator capturing;
    private final Map<String, Trace> traces = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Object[]> toSend = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService timer;
    private final Thread sendThread;
    private final Thread captureThread;
    private volatile boolean running = true;

    /** Path probes sent, by outcome, and answers matched. */
    public final AtomicLong sent = new AtomicLong();

    public final AtomicLong blocked = new AtomicLong();
    public final AtomicLong quotes = new AtomicLong();
    public final AtomicLong answers = new AtomicLong();

    /** Captured frames that did not decode (a cut or malformed quote or header). */
    public final AtomicLong malformed = new AtomicLong();

    public PathProber(Wire wire, ProbeSender sender, byte[] us4, byte[] us6, Settings settings) {
        this.wire = wire;
        this.sender = sender;
        this.us4 = us4;
        this.us6 = us6;
        this.settings = settings;
        this.codes = 2 * (settings.maxTtl() + 1);
        SecureRandom random = new SecureRandom();
        long s0 = random.nextLong();
        long s1 = random.nextLong();
        this.sending =
                new ProbeValidator(s0, s1, settings.sourcePortFirst(), settings.sourcePortCount());
        this.capturing =
                new ProbeValidator(s0, s1, settings.sourcePortFirst(), settings.sourcePortCount());
        this.timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "mpcensus-path-timer");
                            t.setDaemon(true);
                            return t;
                        });
        sendThread = new Thread(this::sendLoop, "mpcensus-path-send");
        captureThread = new Thread(this::captureLoop, "mpcensus-path-capture");
        sendThread.setDaemon(true);
        captureThread.setDaemon(true);
        sendThread.start();
        captureThread.start();
    }

    /** The BPF filter of a path prober's capture: ICMP, and TCP to its source ports. */
    public static String captureFilter(Settings s) {
        return "icmp or icmp6 or (tcp and dst portrange "
                + s.sourcePortFirst()
                + "-"
                + (s.sourcePortFirst() + s.sourcePortCount() - 1)
                + ")";
    }

    /** Verifies the path to one host's port with probes of an MPTCP version. */
    public CompletableFuture<PathResult> verify(String host, int port, int version) {
        String normal = IpAddress.format(IpAddress.parse(host));
        Trace t = new Trace(normal, port, version);
        Trace running = traces.putIfAbsent(t.key, t);
        if (running != null) {
            return running.result;
        }
        synchronized (t) {
            t.send(1);
        }
        return t.result;
    }

    /** Hosts being verified now. */
    public int inFlight() {
        return traces.size();
    }

    private static long nowMicros() {
        return System.currentTimeMillis() * 1000;
    }

    /** One host's verification: what was heard per TTL, and the TTL being probed. */
    private final class Trace {
        final String key;
        final String host;
        final byte[] address;
        final int port;
        final int version;
        final CompletableFuture<PathResult> result = new CompletableFuture<>();
        final SortedMap<Integer, PathHop> hops = new TreeMap<>();
        final long started = nowMicros();
        PathVerdict.Answer answer;
        int current;
        int silent;
        boolean done;

        Trace(String host, int port, int version) {
            this.host = host;
            this.address = IpAddress.parse(host);
            this.port = port;
            this.version = version;
            this.key = host + '|' + port + '|' + version;
        }

        void send(int ttl) {
            current = ttl;
            toSend.add(new Object[] {this, ttl});
        }

        synchronized void sent(int ttl, ProbeSender.Outcome outcome) {
            if (outcome != ProbeSender.Outcome.SENT) {
                // Never probed: the blocklist (or a missing source address) says no.
                done = true;
                traces.remove(key);
                result.complete(
                        PathResult.unreachable(
                                host,
                                port,
                                version,
                                outcome == ProbeSender.Outcome.BLOCKED
                                        ? TargetAnswer.BLOCKED
                                        : TargetAnswer.NO_SOURCE,
                                nowMicros()));
                return;
            }
            timer.schedule(() -> timedOut(ttl), settings.hopTimeoutMillis(), TimeUnit.MILLISECONDS);
        }

        synchronized void timedOut(int ttl) {
            if (done || ttl != current) {
                return;
            }
            silent++;
            advance();
        }

        synchronized void hop(PathHop hop) {
            if (done) {
                return;
            }
            hops.putIfAbsent(hop.ttl(), hop);
            if (hop.unreachable()) {
                finish();
            } else if (hop.ttl() == current) {
                silent = 0;
                advance();
            }
        }

        synchronized void answered(PathVerdict.Answer a) {
            if (done) {
                return;
            }
            if (answer == null || a.ttl() < answer.ttl()) {
                answer = a;
            }
            finish();
        }

        private void advance() {
            if (silent >= settings.silentHops() || current >= settings.maxTtl()) {
                finish();
            } else {
                send(current + 1);
            }
        }

        private void finish() {
            done = true;
            traces.remove(key);
            result.complete(
                    PathVerdict.of(
                            host,
                            port,
                            version,
                            new TreeMap<>(hops),
                            answer,
                            settings.v0Key(),
                            started,
                            nowMicros()));
        }
    }

    private void sendLoop() {
        RateLimiter limiter = new RateLimiter(settings.rate());
        try {
            while (running) {
                Object[] item = toSend.poll(100, TimeUnit.MILLISECONDS);
                if (item == null) {
                    continue;
                }
                Trace t = (Trace) item[0];
                int ttl = (Integer) item[1];
                if (!sender.blocks(t.address)) {
                    sender.flush();
                    if (!limiter.acquire()) {
                        return;
                    }
                }
                ProbeSender.Outcome outcome =
                        sender.send(
                                t.address, t.port, t.version, ttl, t.version + 2 * ttl, sending);
                sender.flush();
                (outcome == ProbeSender.Outcome.SENT ? sent : blocked).incrementAndGet();
                t.sent(ttl, outcome);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failAll(e);
        }
    }

    private void captureLoop() {
        try {
            while (running) {
                byte[] frame = wire.poll();
                if (frame == null) {
                    LockSupport.parkNanos(200_000);
                    continue;
                }
                PacketDecoder.Result r =
                        PacketDecoder.decodeFrame(PacketDecoder.LINKTYPE_ETHERNET, frame);
                if (r.icmp() != null) {
                    quote(r.icmp());
                } else if (r.error() != null) {
                    malformed.incrementAndGet();
                } else if (r.segment() != null) {
                    answer(r.segment());
                }
            }
        } catch (Exception e) {
            failAll(e);
        }
    }

    private byte[] us(int ipVersion) {
        return ipVersion == 4 ? us4 : us6;
    }

    /** An ICMP message quoting one of our path probes: a hop's answer. */
    private void quote(IcmpQuote q) {
        IcmpQuote.Quoted p = q.quoted();
        byte[] us = us(q.ipVersion());
        if (p.protocol() != 6 || us == null || !IpAddress.format(us).equals(p.src())) {
            return;
        }
        byte[] target = IpAddress.parse(p.dst());
        int code = capturing.match(us, target, p.dport(), p.sport(), p.seq(), codes);
        if (code < 2) {
            return;
        }
        int version = code & 1;
        Trace t = traces.get(p.dst() + '|' + p.dport() + '|' + version);
        if (t == null) {
            return;
        }
        quotes.incrementAndGet();
        List<String> modifications =
                q.fullTcpQuote()
                        ? QuoteDiff.diff(
                                SynProbe.options(version, MpCapable.PROBE_FLAGS, settings.v0Key()),
                                SynProbe.DEFAULT_WINDOW,
                                p.tcp())
                        : null;
        t.hop(
                new PathHop(
                        code >>> 1,
                        q.router(),
                        q.quoteLength(),
                        modifications,
                        q.unreachable(),
                        q.administrativelyProhibited()));
    }

    /** A SYN-ACK or RST answering one of our path probes: the target's answer. */
    private void answer(TcpSegment s) {
        byte[] us = us(s.ipVersion());
        if (us == null || !IpAddress.format(us).equals(s.dst())) {
            return;
        }
        int code = capturing.answered(s, us, IpAddress.parse(s.src()), codes);
        if (code < 2) {
            return;
        }
        Trace t = traces.get(s.src() + '|' + s.sport() + '|' + (code & 1));
        if (t == null) {
            return;
        }
        answers.incrementAndGet();
        t.answered(new PathVerdict.Answer(code >>> 1, s.isSynAck(), s.mpCapable()));
    }

    private void failAll(Exception e) {
        for (Trace t : traces.values()) {
            t.result.completeExceptionally(e);
        }
        traces.clear();
    }

    @Override
    public void close() {
        running = false;
        timer.shutdownNow();
        for (Thread t : new Thread[] {sendThread, captureThread}) {
            t.interrupt();
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        failAll(new java.io.IOException("path prober closed"));
        wire.close();
    }
}
