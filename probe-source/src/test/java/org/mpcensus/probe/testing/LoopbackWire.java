package org.mpcensus.probe.testing;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiFunction;
import org.mpcensus.probe.packet.PacketDecoder;
import org.mpcensus.probe.packet.TcpSegment;
import org.mpcensus.probe.wire.Wire;

/**
 * FAKE wire, no interface behind it: every frame the prober sends is recorded and answered at once
 * by the hosts the test describes, whose answer frames the capture then polls. It can stop taking
 * frames after a given number (the sender blocks in {@link #send} until the wire closes), so a test
 * can snapshot a reader at a known point, and it can fail on send.
 */
public final class LoopbackWire implements Wire {
    /** The frames (none, one, or repeats) the destination of a SYN sends back. */
    public interface Hosts extends BiFunction<byte[], TcpSegment, List<byte[]>> {}

    private final Hosts hosts;
    private final int acceptFrames;
    private final boolean failOnSend;
    private final List<byte[]> sentFrames = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<byte[]> inbound = new ConcurrentLinkedQueue<>();
    private final CountDownLatch full = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private long lastMicros;

    public LoopbackWire(Hosts hosts, int acceptFrames, boolean failOnSend) {
        this.hosts = hosts;
        this.acceptFrames = acceptFrames;
        this.failOnSend = failOnSend;
    }

    public static LoopbackWire answering(Hosts hosts) {
        return new LoopbackWire(hosts, Integer.MAX_VALUE, false);
    }

    @Override
    public void send(byte[] frame, int length) throws IOException {
        if (failOnSend) {
            throw new IOException("send failed: Network is down");
        }
        if (sentFrames.size() >= acceptFrames) {
            full.countDown();
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("wire closed");
            }
            throw new IOException("wire closed");
        }
        byte[] copy = Arrays.copyOf(frame, length);
        sentFrames.add(copy);
        TcpSegment syn = PacketDecoder.decodeFrame(PacketDecoder.LINKTYPE_ETHERNET, copy).segment();
        inbound.addAll(hosts.apply(copy, syn));
    }

    @Override
    public void flush() {}

    @Override
    public byte[] poll() {
        byte[] f = inbound.poll();
        if (f != null) {
            lastMicros = System.currentTimeMillis() * 1000;
        }
        return f;
    }

    @Override
    public long lastTimestampMicros() {
        return lastMicros;
    }

    @Override
    public long dropped() {
        return 0;
    }

    @Override
    public void close() {
        closed.countDown();
    }

    /** Frames sent so far, in order. */
    public List<byte[]> sentFrames() {
        synchronized (sentFrames) {
            return List.copyOf(sentFrames);
        }
    }

    /** The SYNs sent so far, decoded. */
    public List<TcpSegment> sent() {
        return sentFrames().stream()
                .map(f -> PacketDecoder.decodeFrame(PacketDecoder.LINKTYPE_ETHERNET, f).segment())
                .toList();
    }

    /** Waits until the sender blocks on a full wire. */
    public void awaitFull() throws InterruptedException {
        full.await();
    }
}
