package org.mpcensus.job.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mpcensus.probe.event.CensusInput;
import org.mpcensus.probe.event.DeadLetter;
import org.mpcensus.probe.event.TrafficPacket;
import org.mpcensus.probe.packet.TcpSegment;
import org.mpcensus.probe.traffic.FlowEnd;
import org.mpcensus.probe.traffic.FlowKey;
import org.mpcensus.probe.traffic.FlowRecord;
import org.mpcensus.probe.traffic.FlowTable;
import org.mpcensus.probe.traffic.PartialFlow;

/**
 * Folding packets into partial flows in the reading task and merging them by key gives the flows of
 * one pass over the packets, whatever checkpoints cut the folds and whatever restores follow:
 * random traces over few tuples (handshakes sent again, new connections on a closed tuple, resets,
 * gaps longer than the idle time, MPTCP handshakes), run through the real operators in harnesses
 * once without a checkpoint and once with checkpoints (and restores into new operators) at random
 * packets, against {@link FlowTable}, and no state or timer is left at the end.
 */
class FlowFoldTest {
    static final long IDLE = 10_000_000L;
    static final long START = 1_765_000_000_000_000L;

    /** The fold and the keyed merge, wired as the job wires them, with their checkpoints. */
    static final class Pipeline implements AutoCloseable {
        OneInputStreamOperatorTestHarness<CensusInput, PartialFlow> fold;
        KeyedOneInputStreamOperatorTestHarness<FlowKey, PartialFlow, FlowRecord> merge;
        final List<FlowRecord> flows = new ArrayList<>();
        final List<DeadLetter> letters = new ArrayList<>();
        long checkpoint;

        Pipeline() throws Exception {
            open(null, null);
        }

        void open(OperatorSubtaskState foldState, OperatorSubtaskState mergeState)
                throws Exception {
            fold = new OneInputStreamOperatorTestHarness<>(new FlowFoldOperator(IDLE));
            merge =
                    new KeyedOneInputStreamOperatorTestHarness<>(
                            new KeyedProcessOperator<>(new FlowFunction(IDLE)),
                            PartialFlow::key,
                            TypeInformation.of(FlowKey.class));
            if (foldState != null) {
                fold.initializeState(foldState);
                merge.initializeState(mergeState);
            }
            fold.open();
            merge.open();
        }

        void packet(TrafficPacket p) throws Exception {
            fold.processElement(new StreamRecord<>(CensusInput.of(p), p.micros() / 1000));
            pass();
        }

        void watermark(long millis) throws Exception {
            fold.processWatermark(new Watermark(millis));
            pass();
        }

        /** A checkpoint; with {@code restore}, both operators start again from it. */
        void checkpoint(boolean restore) throws Exception {
            checkpoint++;
            fold.prepareSnapshotPreBarrier(checkpoint);
            pass();
            merge.prepareSnapshotPreBarrier(checkpoint);
            OperatorSubtaskState f = fold.snapshot(checkpoint, checkpoint);
            OperatorSubtaskState m = merge.snapshot(checkpoint, checkpoint);
            if (restore) {
                takeFlows();
                close();
                open(f, m);
            }
        }

        List<FlowRecord> end() throws Exception {
            fold.processWatermark(new Watermark(Long.MAX_VALUE));
            fold.endInput();
            pass();
            merge.endInput();
            takeFlows();
            assertThat(merge.numKeyedStateEntries()).isZero();
            assertThat(merge.numEventTimeTimers()).isZero();
            return flows;
        }

        /** Hands what the fold sent (partial flows, watermarks) to the merge, in order. */
        private void pass() throws Exception {
            Object o;
            while ((o = fold.getOutput().poll()) != null) {
                if (o instanceof Watermark w) {
                    merge.processWatermark(w);
                } else if (o instanceof StreamRecord<?> r) {
                    @SuppressWarnings("unchecked")
                    StreamRecord<PartialFlow> partial = (StreamRecord<PartialFlow>) r;
                    merge.processElement(partial);
                }
            }
            var side = fold.getSideOutput(FlowFoldOperator.DEAD_LETTERS);
            if (side != null) {
                StreamRecord<DeadLetter> d;
                while ((d = side.poll()) != null) {
                    letters.add(d.getValue());
                }
            }
        }

        private void takeFlows() {
            flows.addAll(merge.extractOutputValues());
            merge.getOutput().clear();
        }

        @Override
        public void close() throws Exception {
            fold.close();
            merge.close();
        }
    }

    /** A random trace over few tuples, in capture order. */
    static List<TrafficPacket> trace(Random r, int packets) {
        String[] clients = {"198.18.1.1", "198.18.1.2"};
        String[] servers = {"198.18.2.1", "2001:db8::2"};
        List<TrafficPacket> out = new ArrayList<>();
        long t = START;
        for (int i = 0; i < packets; i++) {
            t += r.nextInt(10) < 1 ? IDLE + r.nextInt(2_000_000) : r.nextInt(3_000_000);
            String c = clients[r.nextInt(clients.length)];
            String s = servers[r.nextInt(servers.length)];
            if (s.contains(":")) {
                c = c.equals(clients[0]) ? "2001:db8::1:1" : "2001:db8::1:2";
            }
            int cp = 40000 + r.nextInt(2);
            boolean up = r.nextBoolean();
            int kind = r.nextInt(20);
            int flags;
            if (kind < 3) {
                flags = TcpSegment.SYN;
                up = true;
            } else if (kind < 6) {
                flags = TcpSegment.SYN | TcpSegment.ACK;
                up = false;
            } else if (kind < 8) {
                flags = TcpSegment.FIN | TcpSegment.ACK;
            } else if (kind < 9) {
                flags = TcpSegment.RST;
            } else {
                flags = TcpSegment.ACK | (r.nextBoolean() ? TcpSegment.PSH : 0);
            }
            boolean handshake = (flags & TcpSegment.SYN) != 0;
            int mptcp = handshake ? r.nextInt(3) - 1 : -1;
            long seq = handshake ? 1000L * r.nextInt(3) : r.nextInt(1 << 20);
            long join = handshake && !up && mptcp < 0 && r.nextInt(4) == 0 ? 77 : -1;
            out.add(
                    new TrafficPacket(
                            "t" + (i * 7 / packets) + ".pcap",
                            t,
                            60 + r.nextInt(1400),
                            s.contains(":") ? 6 : 4,
                            up ? c : s,
                            up ? cp : 443,
                            up ? s : c,
                            up ? 443 : cp,
                            flags,
                            mptcp,
                            r.nextLong(),
                            mptcp >= 0 && r.nextBoolean(),
                            join,
                            seq));
        }
        return out;
    }

    static List<FlowRecord> run(List<TrafficPacket> trace, Random cuts, int everyOneIn)
            throws Exception {
        try (Pipeline p = new Pipeline()) {
            int i = 0;
            for (TrafficPacket packet : trace) {
                p.packet(packet);
                if (++i % 5 == 0) {
                    p.watermark(packet.micros() / 1000 - 1000);
                }
                if (cuts != null && cuts.nextInt(everyOneIn) == 0) {
                    p.checkpoint(cuts.nextBoolean());
                }
            }
            return p.end();
        }
    }

    /** A trace's flows packet by packet ({@link FlowTable}, one per trace file). */
    static List<FlowRecord> oneByOne(List<TrafficPacket> trace) {
        List<FlowRecord> out = new ArrayList<>();
        FlowTable table = null;
        String file = null;
        for (TrafficPacket p : trace) {
            if (!p.trace().equals(file)) {
                if (table != null) {
                    table.finish();
                }
                file = p.trace();
                table = new FlowTable(file, IDLE, out::add);
            }
            table.add(p);
        }
        if (table != null) {
            table.finish();
        }
        return out;
    }

    /** A flow with the end a timer and a table may see differently told apart only by FIN/RST. */
    static FlowRecord closedOrNot(FlowRecord f) {
        FlowEnd end = f.end() == FlowEnd.END ? FlowEnd.IDLE : f.end();
        return new FlowRecord(
                f.trace(),
                f.ipVersion(),
                f.client(),
                f.clientPort(),
                f.server(),
                f.serverPort(),
                f.firstMicros(),
                f.lastMicros(),
                f.packetsUp(),
                f.bytesUp(),
                f.packetsDown(),
                f.bytesDown(),
                f.mptcpVersion(),
                f.serverToken(),
                f.joinToken(),
                end);
    }

    static List<FlowRecord> sorted(List<FlowRecord> flows) {
        List<FlowRecord> s = new ArrayList<>(flows);
        s.sort(
                java.util.Comparator.comparing(FlowRecord::trace)
                        .thenComparingLong(FlowRecord::firstMicros)
                        .thenComparing(FlowRecord::client)
                        .thenComparingInt(FlowRecord::clientPort)
                        .thenComparing(FlowRecord::server));
        return s;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void checkpointsAndRestoresChangeNoFlowAndTheFlowsAreThoseOfOnePass(int seed) throws Exception {
        List<TrafficPacket> trace = trace(new Random(seed), 400);
        List<FlowRecord> once = run(trace, null, 1);
        assertThat(once.stream().mapToLong(FlowRecord::packets).sum()).isEqualTo(trace.size());
        assertThat(sorted(run(trace, new Random(seed * 31L), 7))).isEqualTo(sorted(once));
        assertThat(sorted(run(trace, new Random(seed * 37L), 2))).isEqualTo(sorted(once));
        assertThat(sorted(once.stream().map(FlowFoldTest::closedOrNot).toList()))
                .isEqualTo(
                        sorted(oneByOne(trace).stream().map(FlowFoldTest::closedOrNot).toList()));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aFlowFoldedWholeIsSentOnceAndNeedsNoKeyedState(boolean checkpointInTheMiddle)
            throws Exception {
        List<TrafficPacket> handshake = new ArrayList<>();
        int[] flags = {
            TcpSegment.SYN,
            TcpSegment.SYN | TcpSegment.ACK,
            TcpSegment.ACK,
            TcpSegment.ACK | TcpSegment.PSH,
            TcpSegment.FIN | TcpSegment.ACK,
            TcpSegment.FIN | TcpSegment.ACK,
            TcpSegment.ACK
        };
        for (int i = 0; i < flags.length; i++) {
            boolean up = i % 2 == 0;
            handshake.add(
                    new TrafficPacket(
                            "t.pcap",
                            START + i * 1000L,
                            100,
                            4,
                            up ? "198.18.1.1" : "198.18.2.1",
                            up ? 40000 : 443,
                            up ? "198.18.2.1" : "198.18.1.1",
                            up ? 443 : 40000,
                            flags[i],
                            -1,
                            0,
                            false,
                            -1,
                            i));
        }
        try (Pipeline p = new Pipeline()) {
            for (int i = 0; i < handshake.size(); i++) {
                p.packet(handshake.get(i));
                if (checkpointInTheMiddle && i == 3) {
                    p.checkpoint(true);
                    assertThat(p.merge.numKeyedStateEntries()).isEqualTo(1);
                }
            }
            if (!checkpointInTheMiddle) {
                assertThat(p.merge.numKeyedStateEntries()).isZero();
            }
            p.watermark(START / 1000 + IDLE / 1000 + 10);
            List<FlowRecord> flows = p.end();
            assertThat(flows)
                    .singleElement()
                    .satisfies(
                            f -> {
                                assertThat(f.packetsUp()).isEqualTo(4);
                                assertThat(f.packetsDown()).isEqualTo(3);
                                assertThat(f.end()).isEqualTo(FlowEnd.FIN);
                            });
        }
    }
}
