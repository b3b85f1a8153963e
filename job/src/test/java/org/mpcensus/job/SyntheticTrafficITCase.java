package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
import org.mpcensus.job.testing.CollectingOutput;
import org.mpcensus.job.testing.TraceWriter;
import org.mpcensus.job.traffic.TrafficJob;
import org.mpcensus.job.traffic.TrafficOptions;
import org.mpcensus.job.traffic.TrafficShareRow;
import org.mpcensus.job.traffic.TrafficTables;
import org.mpcensus.probe.archive.ArchiveFormat;
import org.mpcensus.probe.archive.ArchiveSource;

/**
 * A synthetic trace of several days with exactly known traffic: per day, plain TCP flows, MPTCP v1
 * connections and scan-like flows of two packets, written as a pcap of raw IP packets ({@link
 * TraceWriter}); the shares, bytes and moving averages of {@code traffic_share} must be the
 * arithmetic of what was written.
 */
class SyntheticTrafficITCase {
    static final int[] PLAIN = {40, 25, 60, 30};
    static final int[] MPTCP = {2, 5, 3, 10};
    static final int SCANS = 7;
    static final double ALPHA = 0.2;

    @TempDir Path dir;

    @Test
    void sharesBytesAndAveragesAreTheArithmeticOfTheWrittenTrace() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        TraceWriter t = TraceWriter.inMemory(bytes);
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
                long b = t.flow(at, n++, mptcp, scan ? 2 : 5 + i % 4);
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
        Path trace = Files.write(dir.resolve("synthetic.pcap"), bytes.toByteArray());

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

        List<TrafficShareRow> rows = new ArrayList<>(out.table(TrafficTables.SHARE));
        rows.sort((a, b) -> a.bucket().compareTo(b.bucket()));
        assertThat(rows).hasSize(PLAIN.length);
        double tcpEwma = 0;
        double mptcpEwma = 0;
        for (int d = 0; d < PLAIN.length; d++) {
            TrafficShareRow r = rows.get(d);
            assertThat(r.bucket()).isEqualTo(first.plusDays(d).toString());
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
        assertThat(out.table(TrafficTables.SIZES))
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
        // Every flow of the trace goes to port 443: https, with all the MPTCP flows.
        long allMptcp = 0;
        long allFlows = 0;
        for (int d = 0; d < PLAIN.length; d++) {
            allMptcp += MPTCP[d];
            allFlows += PLAIN[d] + MPTCP[d];
        }
        long flowsOf443 = allFlows;
        long mptcpOf443 = allMptcp;
        assertThat(out.table(TrafficTables.APPS))
                .singleElement()
                .matches(a -> a.app().equals("https"))
                .matches(a -> a.tcpFlows() == flowsOf443 && a.mptcpFlows() == mptcpOf443)
                .matches(a -> a.mptcpBytes() == total);
        // One bucket for the whole capture: the sums of the days, its own average.
        Configuration whole = new Configuration(conf);
        whole.set(TrafficOptions.BUCKET, org.mpcensus.job.traffic.TrafficBucket.CAPTURE);
        CollectingOutput capture = new CollectingOutput();
        new TrafficJob(
                        ArchiveSource.builder()
                                .format(ArchiveFormat.TRAFFIC)
                                .paths(trace.toString())
                                .build(),
                        List.of(capture),
                        whole)
                .run();
        long sumTcpBytes = java.util.Arrays.stream(tcpBytes).sum();
        assertThat(capture.table(TrafficTables.SHARE))
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.bucket()).isEqualTo("capture");
                            assertThat(r.tcpFlows()).isEqualTo(flowsOf443);
                            assertThat(r.mptcpFlows()).isEqualTo(mptcpOf443);
                            assertThat(r.tcpBytes()).isEqualTo(sumTcpBytes);
                            assertThat(r.tcpFlowsEwma()).isEqualTo((double) flowsOf443);
                        });
        // Every flow is in traffic_flows, scans too.
        int all = 0;
        for (int d = 0; d < PLAIN.length; d++) {
            all += PLAIN[d] + MPTCP[d] + SCANS;
        }
        assertThat(out.table(TrafficTables.FLOWS)).hasSize(all);
    }
}
