package org.mpcensus.probe.testbed;

import java.util.SplittableRandom;
import org.mpcensus.probe.packet.Bytes;
import org.mpcensus.probe.packet.IpAddress;
import org.mpcensus.probe.packet.MpCapable;
import org.mpcensus.probe.packet.PacketDecoder;
import org.mpcensus.probe.packet.TcpEncoder;
import org.mpcensus.probe.packet.TcpSegment;
import org.mpcensus.probe.target.PrefixMap;
import org.mpcensus.probe.wire.PcapWire;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNetworkInterface;

/**
 * EMULATOR (not a real peer) of the behaviours no kernel offers any more, for the testbed: it
 * captures SYNs on an interface and answers them itself, per destination prefix, as
 *
 * <ul>
 *   <li>{@code v0}: an MPTCPv0 host, MP_CAPABLE v0 with a random key per connection (also to v1
 *       probes, as a v0-only stack would);
 *   <li>{@code mirror}: a middlebox that echoes the SYN's options in its SYN-ACK;
 *   <li>{@code rewriter}: a middlebox that answers with the probe's MP_CAPABLE version and one
 *       fixed key ({@link #REWRITTEN_KEY}) for every host behind it.
 * </ul>
 *
 * Run inside a testbed namespace whose kernel does not own the addresses: {@code ip netns exec NS
 * java -cp ... org.mpcensus.probe.testbed.ReplyEmulator IFACE v0=CIDR mirror=CIDR rewriter=CIDR}.
 */
public final class ReplyEmulator {
    /** The rewriter's key: Hamming weight 16, like the ZMap fork's static probe key. */
    public static final long REWRITTEN_KEY = 0x3030303030303030L;

    private static final int MODE_V0 = 1;
    private static final int MODE_MIRROR = 2;
    private static final int MODE_REWRITER = 3;

    private ReplyEmulator() {}

    public static void main(String[] args) throws Exception {
        String iface = args[0];
        PrefixMap.Builder b = PrefixMap.builder();
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            int mode =
                    switch (kv[0]) {
                        case "v0" -> MODE_V0;
                        case "mirror" -> MODE_MIRROR;
                        case "rewriter" -> MODE_REWRITER;
                        default -> throw new IllegalArgumentException("mode " + kv[0]);
                    };
            b.addCidr(kv[1], mode);
        }
        PrefixMap modes = b.build();
        PcapHandle handle =
                inbound(
                        iface,
                        PcapNetworkInterface.PromiscuousMode.PROMISCUOUS,
                        "tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn");
        SplittableRandom random = new SplittableRandom();
        while (true) {
            byte[] frame = handle.getNextRawPacket();
            if (frame == null) {
                continue;
            }
            TcpSegment syn =
                    PacketDecoder.decodeFrame(PacketDecoder.LINKTYPE_ETHERNET, frame).segment();
            if (syn == null || !syn.isSyn()) {
                continue;
            }
            long mode = modes.lookup(syn.dst());
            if (mode == PrefixMap.NONE) {
                continue;
            }
            int probed = syn.mpCapable() == null ? 0 : syn.mpCapable().version();
            byte[] options =
                    switch ((int) mode) {
                        case MODE_V0 -> withMss(MpCapable.synOption(0, 0x81, randomKey(random)));
                        case MODE_MIRROR -> syn.optionBytes();
                        default -> withMss(keyed(probed, REWRITTEN_KEY));
                    };
            handle.sendPacket(
                    answer(
                            frame,
                            syn,
                            TcpSegment.SYN | TcpSegment.ACK,
                            random.nextLong() & 0xffffffffL,
                            options));
        }
    }

    /**
     * A capture of what arrives on an interface through a filter, frame by frame as it comes; says
     * "emulating on IFACE" (what the testbed waits for) once it listens.
     */
    static PcapHandle inbound(
            String iface, PcapNetworkInterface.PromiscuousMode mode, String filter)
            throws Exception {
        PcapHandle handle = capture(iface, mode, filter, 256);
        System.out.println("emulating on " + iface);
        System.out.flush();
        return handle;
    }

    /**
     * A capture of the first {@code snaplen} bytes of each frame that arrives on an interface
     * through a filter (none when empty), handed on as it comes.
     */
    static PcapHandle capture(
            String iface, PcapNetworkInterface.PromiscuousMode mode, String filter, int snaplen)
            throws Exception {
        PcapWire.loadLibrary();
        PcapHandle handle =
                new PcapHandle.Builder(iface)
                        .snaplen(snaplen)
                        .promiscuousMode(mode)
                        .timeoutMillis(1)
                        .immediateMode(true)
                        .build();
        handle.setDirection(PcapHandle.PcapDirection.IN);
        if (!filter.isEmpty()) {
            handle.setFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE);
        }
        return handle;
    }

    /**
     * The Ethernet frame a host sends back to a captured SYN: MACs, addresses and ports swapped,
     * TTL 64, acknowledging the SYN's sequence number.
     *
     * @param synFrame the SYN's Ethernet frame
     * @param syn the SYN's decoded segment
     * @param flags the answer's TCP flags (SYN|ACK, or RST|ACK)
     * @param isn the answer's own sequence number
     * @param options the answer's TCP options
     */
    public static byte[] answer(
            byte[] synFrame, TcpSegment syn, int flags, long isn, byte[] options) {
        byte[] ip =
                TcpEncoder.encode(
                        IpAddress.parse(syn.dst()),
                        IpAddress.parse(syn.src()),
                        64,
                        syn.dport(),
                        syn.sport(),
                        isn,
                        (syn.seq() + 1) & 0xffffffffL,
                        flags,
                        64240,
                        options);
        byte[] out = new byte[14 + ip.length];
        System.arraycopy(synFrame, 6, out, 0, 6);
        System.arraycopy(synFrame, 0, out, 6, 6);
        Bytes.putShort(out, 12, (ip[0] & 0xf0) == 0x60 ? 0x86dd : 0x0800);
        System.arraycopy(ip, 0, out, 14, ip.length);
        return out;
    }

    /**
     * A random key, redrawn when its Hamming weight is 16 (the probe key's), which a real v0 stack
     * returns with probability 2.7e-5 and which would make a test flaky, not wrong.
     */
    private static long randomKey(SplittableRandom random) {
        long k;
        do {
            k = random.nextLong();
        } while (Long.bitCount(k) == 16);
        return k;
    }

    /** An MP_CAPABLE of length 12 with a key, for either version. */
    private static byte[] keyed(int version, long key) {
        byte[] o = MpCapable.synOption(0, 0x81, key);
        o[2] = (byte) (version & 0x0f);
        return o;
    }

    private static byte[] withMss(byte[] mptcp) {
        byte[] o = new byte[4 + mptcp.length];
        o[0] = 2;
        o[1] = 4;
        Bytes.putShort(o, 2, 1460);
        System.arraycopy(mptcp, 0, o, 4, mptcp.length);
        return o;
    }
}
