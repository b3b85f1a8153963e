package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.job.schema.CensusTables;
import org.mpcensus.job.testing.CollectingOutput;
import org.mpcensus.job.traffic.TrafficOptions;
import org.mpcensus.job.traffic.TrafficShareRow;
import org.mpcensus.probe.archive.ArchiveFormat;
import org.mpcensus.probe.archive.ArchiveSource;
import org.mpcensus.probe.packet.IpAddress;
import org.mpcensus.probe.packet.MpCapable;
import org.mpcensus.probe.packet.TcpEncoder;
import org.mpcensus.probe.packet.TcpSegment;

/**
 * A synthetic trace of several days with exactly known traffic: per day, plain TCP flows, MPTCP v1
 * connections and scan-like flows of two packets, written as a pcap of raw IP packets; the shares,
 * bytes and moving averages of {@code traffic_share} must be the arithmetic of what was written.
 */
class SyntheticTrafficITCase {
    static final int[] PLAIN = {40, 25, 60, 30};
    static final int[] MPTCP = {2, 5, 3, 10};
    static final int SCANS = 7;
    static final double ALPHA = 0.2;

    @TempDir Path dir;

    /** A pcap file (link type raw IP) of packets, each with its capture time. */
    static final class Trace {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Trace() {
            ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
            h.putInt(65535).putInt(101);
            out.writeBytes(h.array());
        }

        /** Writes a packet; returns its length. */
        int add(long micros, byte[] ip) {
            ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            r.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000));
            r.putInt(ip.length).putInt(ip.length);
            out.writeBytes(r.array());
            out.writeBytes(ip);
            return ip.length;
        }
    }

    static byte[] packet(
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
        byte[] withData = java.util.Arrays.copyOf(ip, ip.length + payload);
        withData[2] = (byte) (withData.length >>> 8);
        withData[3] = (byte) withData.length;
        return withData;
    }

    /** Writes one flow of {@code packets} packets; returns its bytes. */
    static long flow(Trace t, long start, int n, boolean mptcp, int packets) {
        String client = "198.18." + (n / 250) + "." + (n % 250 + 1);
        String server = "198.18.200.1";
        int port = 40000 + n % 20000;
        byte[] synOptions = mptcp ? MpCapable.synOption(1, 0x81, 0) : new byte[0];
        byte[] synAckOptions = new byte[0];
        if (mptcp) {
            synAckOptions = MpCapable.synOption(0, 0x81, 0x1000L + n);
            synAckOptions[2] = 1;
        }
        long bytes = t.add(start, packet(client, port, server, 443, TcpSegment.SYN, synOptions, 0));
        if (packets > 1) {
            bytes +=
                    t.add(
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
                    t.add(
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

    @Test
    void sharesBytesAndAveragesAreTheArithmeticOfTheWrittenTrace() throws Exception {
        Trace t = new Trace();
        LocalDate first = LocalDate.of(2024, 3, 1);
        List<Long> mptcpSizes = new ArrayList<>();
        long[] tcpBytes = new long[PLAIN.length];
        long[] mptcpBytes = new long[PLAIN.length];
        int n = 0;
        for (int d = 0; d < PLAIN.length; d++) {
            long day = first.plusDays(d).atStartOfDay().toEpochSecond(ZoneOffset.UTC) * 1_000_000L;
            long at = day + 3_600_000_000L;
            for (int i = 0; i < PLAIN[d] + MPTCP[d] + SCANS; i++) {
                boolean mptcp = i < MPTCP[d];
                boolean scan = i >= PLAIN[d] + MPTCP[d];
                long b = flow(t, at, n++, mptcp, scan ? 2 : 5 + i % 4);
                if (!scan) {
                    tcpBytes[d] += b;
                    mptcpBytes[d] += mptcp ? b : 0;
                    if (mptcp) {
                        mptcpSizes.add(b);
                    }
                }
                at += 10_000;
            }
        }
        Path trace = Files.write(dir.resolve("synthetic.pcap"), t.out.toByteArray());

        Configuration conf = new Configuration();
        conf.set(CoreOptions.DEFAULT_PARALLELISM, 2);
        conf.set(TrafficOptions.EWMA_ALPHA, ALPHA);
        CollectingOutput out = new CollectingOutput();
        new TrafficJob(
                        ArchiveSource.builder()
                                .format(ArchiveFormat.TRAFFIC)
                                .paths(trace.toString())
                                .build(),
                        List.of(out),
                        conf)
                .run();

        List<TrafficShareRow> rows = new ArrayList<>(out.table(CensusTables.TRAFFIC_SHARE));
        rows.sort((a, b) -> a.day().compareTo(b.day()));
        assertThat(rows).hasSize(PLAIN.length);
        double tcpEwma = 0;
        double mptcpEwma = 0;
        for (int d = 0; d < PLAIN.length; d++) {
            TrafficShareRow r = rows.get(d);
            assertThat(r.day()).isEqualTo(first.plusDays(d).toString());
            assertThat(r.tcpFlows()).isEqualTo(PLAIN[d] + MPTCP[d]);
            assertThat(r.mptcpFlows()).isEqualTo(MPTCP[d]);
            assertThat(r.connections()).isEqualTo(MPTCP[d]);
            assertThat(r.v1Connections()).isEqualTo(MPTCP[d]);
            assertThat(r.tcpBytes()).isEqualTo(tcpBytes[d]);
            assertThat(r.mptcpBytes()).isEqualTo(mptcpBytes[d]);
            tcpEwma =
                    d == 0
                            ? PLAIN[d] + MPTCP[d]
                            : ALPHA * (PLAIN[d] + MPTCP[d]) + (1 - ALPHA) * tcpEwma;
            mptcpEwma = d == 0 ? MPTCP[d] : ALPHA * MPTCP[d] + (1 - ALPHA) * mptcpEwma;
            assertThat(r.tcpFlowsEwma()).isCloseTo(tcpEwma, within(1e-9));
            assertThat(r.mptcpFlowsEwma()).isCloseTo(mptcpEwma, within(1e-9));
        }
        // The flow-size distribution of the MPTCP flows.
        mptcpSizes.sort((a, b) -> Long.compare(b, a));
        long total = mptcpSizes.stream().mapToLong(Long::longValue).sum();
        long top5 = mptcpSizes.stream().limit(5).mapToLong(Long::longValue).sum();
        long half =
                mptcpSizes.stream()
                        .limit((mptcpSizes.size() + 1) / 2)
                        .mapToLong(Long::longValue)
                        .sum();
        assertThat(out.table(CensusTables.TRAFFIC_SIZES))
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.mptcpFlows()).isEqualTo(mptcpSizes.size());
                            assertThat(s.mptcpBytes()).isEqualTo(total);
                            assertThat(s.top1Share())
                                    .isCloseTo((double) mptcpSizes.get(0) / total, within(1e-12));
                            assertThat(s.top5Share())
                                    .isCloseTo((double) top5 / total, within(1e-12));
                            assertThat(s.topHalfShare())
                                    .isCloseTo((double) half / total, within(1e-12));
                        });
        // Every flow is in traffic_flows, scans too.
        int all = 0;
        for (int d = 0; d < PLAIN.length; d++) {
            all += PLAIN[d] + MPTCP[d] + SCANS;
        }
        assertThat(out.table(CensusTables.TRAFFIC_FLOWS)).hasSize(all);
    }
}
