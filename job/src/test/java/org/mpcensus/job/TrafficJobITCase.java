package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.job.schema.CensusTables;
import org.mpcensus.job.testing.CollectingOutput;
import org.mpcensus.job.traffic.TrafficJob;
import org.mpcensus.job.traffic.TrafficShareRow;
import org.mpcensus.job.traffic.TrafficTables;
import org.mpcensus.probe.archive.ArchiveFormat;
import org.mpcensus.probe.archive.ArchiveSource;
import org.mpcensus.probe.archive.CaptureReader;
import org.mpcensus.probe.archive.CapturedFrame;
import org.mpcensus.probe.event.DeadLetter;
import org.mpcensus.probe.packet.PacketDecoder;
import org.mpcensus.probe.packet.TcpSegment;
import org.mpcensus.probe.testing.SharedData;
import org.mpcensus.probe.traffic.FlowRecord;
import org.mpcensus.probe.traffic.FlowTable;

/**
 * The traffic job on the real captures of {@code shared/data} (and a cut copy of one): its flows,
 * reassembled in keyed state across parallel subtasks, are the ones {@link FlowTable} finds in each
 * file in order (whose counts {@code FlowTableTest} checks against tshark); its shares sum the
 * flows of at least five packets; a cut file's last frame is a dead letter.
 */
class TrafficJobITCase {
    static final List<String> CAPTURES =
            List.of(
                    "ptcpdump/mptcp.pcap",
                    "ptcpdump/tfo.pcap",
                    "tcpdump/mptcp-aa-echo.pcap",
                    "tcpdump/mptcp-dss-oobr.pcap",
                    "tcpdump/mptcp-fclose.pcap");

    @TempDir Path dir;

    static List<FlowRecord> inOrder(Path file) throws Exception {
        List<FlowRecord> out = new ArrayList<>();
        FlowTable table = new FlowTable(file.getFileName().toString(), 120_000_000L, out::add);
        try (InputStream in = Files.newInputStream(file);
                CaptureReader reader = new CaptureReader(in)) {
            CapturedFrame f;
            while ((f = reader.next()) != null) {
                TcpSegment s = PacketDecoder.decodeFrame(f.linkType(), f.data()).segment();
                if (s != null) {
                    table.add(f.timestampNanos() / 1000, f.originalLength(), s);
                }
            }
        }
        table.finish();
        return out;
    }

    @Test
    void flowsAndSharesOfRealTraces() throws Exception {
        List<String> paths = new ArrayList<>();
        List<FlowRecord> want = new ArrayList<>();
        for (String c : CAPTURES) {
            Path copy = dir.resolve(c.replace('/', '-'));
            Files.copy(SharedData.file(c), copy);
            paths.add(copy.toString());
            want.addAll(inOrder(copy));
        }
        byte[] whole = Files.readAllBytes(SharedData.file("ptcpdump/mptcp.pcap"));
        Path cut =
                Files.write(
                        dir.resolve("cut.pcap"), java.util.Arrays.copyOf(whole, whole.length - 7));
        paths.add(cut.toString());

        Configuration conf = new Configuration();
        conf.set(CoreOptions.DEFAULT_PARALLELISM, 2);
        CollectingOutput out = new CollectingOutput();
        new TrafficJob(
                        ArchiveSource.builder()
                                .format(ArchiveFormat.TRAFFIC)
                                .paths(paths.toArray(new String[0]))
                                .build(),
                        List.of(out),
                        conf)
                .run();

        List<FlowRecord> flows = out.table(TrafficTables.FLOWS);
        List<FlowRecord> real = flows.stream().filter(f -> !f.trace().equals("cut.pcap")).toList();
        assertThat(new HashSet<>(real)).isEqualTo(new HashSet<>(want));
        assertThat(real).hasSameSizeAs(want);
        // The cut copy: every whole frame is counted, the cut one is a dead letter.
        assertThat(
                        flows.stream()
                                .filter(f -> f.trace().equals("cut.pcap"))
                                .mapToLong(FlowRecord::packets)
                                .sum())
                .isEqualTo(13);
        List<DeadLetter> letters = out.table(CensusTables.DEAD_LETTERS);
        assertThat(letters).anyMatch(d -> d.source().endsWith("cut.pcap"));

        Map<String, List<FlowRecord>> byShare =
                want.stream()
                        .filter(f -> f.packets() >= 5)
                        .collect(Collectors.groupingBy(f -> f.trace() + "|" + f.ipVersion()));
        List<TrafficShareRow> shares =
                out.table(TrafficTables.SHARE).stream()
                        .filter(r -> !r.trace().equals("cut.pcap"))
                        .toList();
        assertThat(shares).hasSize(byShare.size());
        for (TrafficShareRow r : shares) {
            List<FlowRecord> fs = byShare.get(r.trace() + "|" + r.ipVersion());
            assertThat(r.tcpFlows()).isEqualTo(fs.size());
            assertThat(r.tcpBytes()).isEqualTo(fs.stream().mapToLong(FlowRecord::bytes).sum());
            assertThat(r.mptcpFlows())
                    .isEqualTo(fs.stream().filter(f -> f.mptcp() || f.subflow()).count());
            assertThat(r.v1Connections())
                    .isEqualTo(fs.stream().filter(f -> f.mptcpVersion() == 1).count());
        }
        // The MPTCP captures are MPTCP, every byte of them.
        assertThat(shares)
                .filteredOn(r -> r.trace().equals("ptcpdump-mptcp.pcap"))
                .singleElement()
                .matches(r -> r.mptcpBytes() == r.tcpBytes() && r.connections() == 1);
    }
}
