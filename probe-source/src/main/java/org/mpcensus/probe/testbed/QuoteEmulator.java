package org.mpcensus.probe.testbed;

import org.mpcensus.probe.packet.Bytes;
import org.mpcensus.probe.packet.InternetChecksum;
import org.mpcensus.probe.packet.IpAddress;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNetworkInterface;

/**
 * EMULATOR (not a real router) of an RFC 792 router, for the testbed: Linux quotes whole packets in
 * its ICMP messages, and no setting makes it quote less. This process captures IPv4 packets that
 * arrive on an interface with TTL 1 (the router's nftables drops them before the kernel answers)
 * and answers each with an ICMP time exceeded that quotes only the IP header and the first 8 bytes
 * of the transport header, from the router's own address.
 *
 * <p>Run inside the router's namespace: {@code ip netns exec NS java -cp ...
 * org.mpcensus.probe.testbed.QuoteEmulator IFACE ROUTER_ADDRESS}.
 */
public final class QuoteEmulator {
    private QuoteEmulator() {}

    /**
     * The Ethernet frame of an ICMP time exceeded from {@code router} quoting the IPv4 packet of a
     * captured frame (IP header and 8 bytes), back to the frame's sender; null when the frame is
     * not IPv4 or too short.
     */
    public static byte[] timeExceeded(byte[] frame, byte[] router) {
        return timeExceeded(frame, router, 8);
    }

    /**
     * The same with {@code transportBytes} of the transport header quoted (at most what the frame
     * has): 8 as RFC 792 asks, more as RFC 1812 routers do.
     */
    public static byte[] timeExceeded(byte[] frame, byte[] router, int transportBytes) {
        if (frame.length < 14 + 20 + 8 || Bytes.getUnsignedShort(frame, 12) != 0x0800) {
            return null;
        }
        int ihl = (frame[14] & 0x0f) * 4;
        int quoted = (int) Math.min(frame.length - 14, (long) ihl + transportBytes);
        byte[] icmp = new byte[8 + quoted];
        icmp[0] = 11;
        System.arraycopy(frame, 14, icmp, 8, quoted);
        Bytes.putShort(
                icmp, 2, InternetChecksum.finish(InternetChecksum.add(0, icmp, 0, icmp.length)));
        byte[] out = new byte[14 + 20 + icmp.length];
        System.arraycopy(frame, 6, out, 0, 6);
        System.arraycopy(frame, 0, out, 6, 6);
        Bytes.putShort(out, 12, 0x0800);
        int ip = 14;
        out[ip] = 0x45;
        Bytes.putShort(out, ip + 2, 20 + icmp.length);
        out[ip + 8] = 64;
        out[ip + 9] = 1;
        System.arraycopy(router, 0, out, ip + 12, 4);
        System.arraycopy(frame, 14 + 12, out, ip + 16, 4);
        Bytes.putShort(out, ip + 10, InternetChecksum.finish(InternetChecksum.add(0, out, ip, 20)));
        System.arraycopy(icmp, 0, out, ip + 20, icmp.length);
        return out;
    }

    public static void main(String[] args) throws Exception {
        String iface = args[0];
        byte[] router = IpAddress.parse(args[1]);
        PcapHandle handle =
                ReplyEmulator.inbound(
                        iface,
                        PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS,
                        "ip and ip[8] == 1");
        while (true) {
            byte[] frame = handle.getNextRawPacket();
            if (frame == null) {
                continue;
            }
            byte[] answer = timeExceeded(frame, router);
            if (answer != null) {
                handle.sendPacket(answer);
            }
        }
    }
}
