package org.mpcensus.job.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.mpcensus.probe.packet.IpAddress;
import org.mpcensus.probe.packet.MpCapable;
import org.mpcensus.probe.packet.TcpEncoder;
import org.mpcensus.probe.packet.TcpSegment;

/**
 * Writes synthetic packet traces: a pcap file of raw IP packets (link type 101) made of whole TCP
 * flows, plain or MPTCP v1, whose packets and bytes the writer knows.
 */
public final class TraceWriter {
    private final OutputStream out;
    private final ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);

    public TraceWriter(OutputStream out) throws IOException {
        this.out = out;
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
        h.putInt(65535).putInt(101);
        out.write(h.array());
    }

    /** A writer into memory. */
    public static TraceWriter inMemory(ByteArrayOutputStream bytes) {
        try {
            return new TraceWriter(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a packet captured at {@code micros}; returns its length. */
    public int add(long micros, byte[] ip) throws IOException {
        record.clear();
        record.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000));
        record.putInt(ip.length).putInt(ip.length);
        out.write(record.array());
        out.write(ip);
        return ip.length;
    }

    /** An IPv4 TCP packet with options and {@code payload} zero bytes of data. */
    public static byte[] packet(
            String src, int sport, String dst, int dport, int flags, byte[] options, int payload) {
        byte[] ip =
                TcpEncoder.encode(
                        IpAddress.parse(src),
                        IpAddress.parse(dst),
                        64,
                        sport,
                        dport,
                        1,
                        1,
                        flags,
                        1000,
                        options);
        byte[] withData = Arrays.copyOf(ip, ip.length + payload);
        withData[2] = (byte) (withData.length >>> 8);
        withData[3] = (byte) withData.length;
        return withData;
    }

    /**
     * Writes flow {@code n} of {@code packets} packets from {@code start}, 1 ms apart: SYN, SYN-ACK
     * (each with MP_CAPABLE v1 when {@code mptcp}), then data both ways. Returns its bytes.
     */
    public long flow(long start, int n, boolean mptcp, int packets) throws IOException {
        String client = "198.18." + (n / 250 % 250) + "." + (n % 250 + 1);
        String server = "198.19." + (n / 62500 % 250) + ".1";
        int port = 1024 + n % 60000;
        byte[] synOptions = mptcp ? MpCapable.synOption(1, 0x81, 0) : new byte[0];
        byte[] synAckOptions = new byte[0];
        if (mptcp) {
            synAckOptions = MpCapable.synOption(0, 0x81, 0x1000L + n);
            synAckOptions[2] = 1;
        }
        long bytes = add(start, packet(client, port, server, 443, TcpSegment.SYN, synOptions, 0));
        if (packets > 1) {
            bytes +=
                    add(
                            start + 1000,
                            packet(
                                    server,
                                    443,
                                    client,
                                    port,
                                    TcpSegment.SYN | TcpSegment.ACK,
                                    synAckOptions,
                                    0));
        }
        for (int i = 2; i < packets; i++) {
            boolean up = i % 2 == 0;
            bytes +=
                    add(
                            start + 1000L * i,
                            up
                                    ? packet(
                                            client,
                                            port,
                                            server,
                                            443,
                                            TcpSegment.ACK,
                                            new byte[0],
                                            100 * i)
                                    : packet(
                                            server,
                                            443,
                                            client,
                                            port,
                                            TcpSegment.ACK,
                                            new byte[0],
                                            50 * i));
        }
        return bytes;
    }
}
