package org.mpcensus.probe.testbed;

import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import org.mpcensus.probe.packet.PacketDecoder;
import org.mpcensus.probe.packet.TcpSegment;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNetworkInterface;

/**
 * EMULATOR (not the kernel's netem, which the testbed's kernels may lack) of a link with delay, for
 * the testbed: a namespace between two interfaces that copies every frame from one to the other, as
 * a wire does, after a delay. Frames going down (from the router to the hosts) that carry a
 * Multipath TCP option wait {@code down-mptcp-ms}, the way a middlebox's slow path for options it
 * does not know delays them; every frame going up waits {@code up-ms}. With {@code lose-first-data}
 * 1, the first TCP segment that carries data down in each connection is lost (the sender must
 * retransmit it); SYNs and probes without data pass. The interfaces on both sides must not offload
 * checksums or segmentation, so that what is copied is what a wire would carry.
 *
 * <p>Run inside the wire's namespace: {@code ip netns exec NS java -cp ...
 * org.mpcensus.probe.testbed.DelayEmulator UP_IFACE DOWN_IFACE DOWN_MPTCP_MS UP_MS
 * LOSE_FIRST_DATA}.
 */
public final class DelayEmulator {
    private DelayEmulator() {}

    /** A frame and when it is due on the other side. */
    private record Frame(byte[] bytes, long dueNanos) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(dueNanos, ((Frame) o).dueNanos);
        }
    }

    /** Delay of a frame in nanoseconds; -1 loses it. */
    private interface Delay {
        long nanos(byte[] frame);
    }

    /** The key of a TCP segment's connection and direction when it carries data, else null. */
    static String dataFlow(byte[] frame) {
        TcpSegment s = PacketDecoder.decodeFrame(PacketDecoder.LINKTYPE_ETHERNET, frame).segment();
        if (s == null || s.payloadLength() <= 0) {
            return null;
        }
        return s.src() + ' ' + s.sport() + ' ' + s.dst() + ' ' + s.dport();
    }

    /** True when a frame is TCP carrying an option of kind 30 (any Multipath TCP option). */
    public static boolean carriesMptcp(byte[] frame) {
        TcpSegment s = PacketDecoder.decodeFrame(PacketDecoder.LINKTYPE_ETHERNET, frame).segment();
        if (s == null) {
            return false;
        }
        byte[] o = s.optionBytes();
        int i = 0;
        while (i < o.length) {
            int kind = o[i] & 0xff;
            if (kind == 0) {
                return false;
            }
            if (kind == 1) {
                i++;
                continue;
            }
            if (kind == 30) {
                return true;
            }
            if (i + 1 >= o.length || (o[i + 1] & 0xff) < 2) {
                return false;
            }
            i += o[i + 1] & 0xff;
        }
        return false;
    }

    public static void main(String[] args) throws Exception {
        String up = args[0];
        String down = args[1];
        long downMptcpNanos = Long.parseLong(args[2]) * 1_000_000L;
        long upNanos = Long.parseLong(args[3]) * 1_000_000L;
        boolean loseFirstData = args.length > 4 && args[4].equals("1");
        // connections (by sender and receiver) whose first data segment has been lost: what
        // follows, the retransmission too, passes
        java.util.Set<String> lost = java.util.concurrent.ConcurrentHashMap.newKeySet();
        PcapHandle fromUp = open(up, "");
        PcapHandle fromDown = open(down, "");
        PcapHandle toUp = open(up, "less 1");
        PcapHandle toDown = open(down, "less 1");
        start(
                fromUp,
                toDown,
                f -> {
                    if (loseFirstData) {
                        String flow = dataFlow(f);
                        if (flow != null && lost.add(flow)) {
                            return -1;
                        }
                    }
                    return carriesMptcp(f) ? downMptcpNanos : 0;
                });
        start(fromDown, toUp, f -> upNanos);
        System.out.println("emulating on " + up + " and " + down);
        System.out.flush();
        Thread.currentThread().join();
    }

    /** Copies what arrives on {@code from} to {@code to}, each frame after its delay. */
    private static void start(PcapHandle from, PcapHandle to, Delay delay) {
        DelayQueue<Frame> queue = new DelayQueue<>();
        Thread capture =
                new Thread(
                        () -> {
                            while (true) {
                                try {
                                    byte[] f = from.getNextRawPacket();
                                    if (f != null) {
                                        long nanos = delay.nanos(f);
                                        if (nanos >= 0) {
                                            queue.add(new Frame(f, System.nanoTime() + nanos));
                                        }
                                    }
                                } catch (Exception e) {
                                    e.printStackTrace();
                                    System.exit(1);
                                }
                            }
                        });
        Thread send =
                new Thread(
                        () -> {
                            while (true) {
                                try {
                                    to.sendPacket(queue.take().bytes());
                                } catch (InterruptedException e) {
                                    return;
                                } catch (Exception e) {
                                    // a frame the interface refuses is lost, as on a wire
                                    System.err.println("not sent: " + e.getMessage());
                                }
                            }
                        });
        capture.start();
        send.start();
    }

    private static PcapHandle open(String iface, String filter) throws Exception {
        return ReplyEmulator.capture(
                iface, PcapNetworkInterface.PromiscuousMode.PROMISCUOUS, filter, 65535);
    }
}
