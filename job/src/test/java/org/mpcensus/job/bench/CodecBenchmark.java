package org.mpcensus.job.bench;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.mpcensus.probe.archive.CaptureReader;
import org.mpcensus.probe.archive.CapturedFrame;
import org.mpcensus.probe.packet.PacketDecoder;
import org.mpcensus.probe.packet.TcpSegment;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Nanoseconds per decoded SYN-ACK: the real upstream-Linux MPTCPv1 SYN-ACK of {@code
 * shared/data/ptcpdump/mptcp.pcap} (Ethernet, MSS, SACK-permitted, TS, NOP, WS, MP_CAPABLE with a
 * key) through the codec, from the frame to the MP_CAPABLE key.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {
    int linkType;
    byte[] synAck;

    @Setup
    public void load() throws Exception {
        Path pcap = sharedData("ptcpdump/mptcp.pcap");
        try (InputStream in = Files.newInputStream(pcap);
                CaptureReader reader = new CaptureReader(in)) {
            CapturedFrame f;
            while ((f = reader.next()) != null) {
                TcpSegment s = PacketDecoder.decodeFrame(f.linkType(), f.data()).segment();
                if (s != null && s.isSynAck() && s.mpCapable() != null) {
                    linkType = f.linkType();
                    synAck = f.data();
                    return;
                }
            }
        }
        throw new IllegalStateException("no SYN-ACK in " + pcap);
    }

    @Benchmark
    public long decodeSynAck() {
        TcpSegment s = PacketDecoder.decodeFrame(linkType, synAck).segment();
        return s.mpCapable().senderKey();
    }

    static Path sharedData(String relative) {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolveSibling("shared").resolve("data").resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/data/" + relative + " not found");
    }
}
