package org.mpcensus.job.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.function.SerializableFunction;
import org.junit.jupiter.api.Test;
import org.mpcensus.probe.event.TrafficPacket;
import org.mpcensus.probe.packet.IpAddress;
import org.mpcensus.probe.packet.PacketDecoder;
import org.mpcensus.probe.packet.TcpEncoder;
import org.mpcensus.probe.packet.TcpSegment;
import org.mpcensus.probe.traffic.FlowEnd;
import org.mpcensus.probe.traffic.FlowKey;
import org.mpcensus.probe.traffic.FlowRecord;
import org.mpcensus.probe.traffic.FlowState;
import org.mpcensus.probe.traffic.PartialFlow;

/** The keyed functions of the traffic job give their rows and keep no state once a trace ends. */
class TrafficFunctionsTest {
    static final long DAY_MICROS = 1_765_000_000_000_000L;

    static FlowRecord flow(int serverPort, int mptcpVersion, long bytes) {
        return new FlowRecord(
                "t.pcap",
                4,
                "198.18.1.1",
                40000,
                "198.18.2.2",
                serverPort,
                DAY_MICROS,
                DAY_MICROS + 1000,
                5,
                bytes,
                5,
                0,
                mptcpVersion,
                mptcpVersion < 0 ? -1 : 7,
                -1,
                FlowEnd.FIN);
    }

    static <O> KeyedOneInputStreamOperatorTestHarness<String, FlowRecord, O> harness(
            KeyedProcessFunction<String, FlowRecord, O> f,
            SerializableFunction<FlowRecord, String> key)
            throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<String, FlowRecord, O>(
                        new KeyedProcessOperator<>(f), key::apply, Types.STRING);
        h.open();
        return h;
    }

    static void assertNothingLeft(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h) {
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(h.numProcessingTimeTimers()).isZero();
    }

    @Test
    void sharesAreFinalAndGoneWhenTheTraceEnds() throws Exception {
        try (var h = harness(new ShareFunction(0.2, true), FlowRecord::trace)) {
            h.processElement(flow(443, 1, 1000), 0);
            h.processElement(flow(80, -1, 500), 1);
            assertThat(h.numKeyedStateEntries()).isPositive();
            h.processWatermark(Long.MAX_VALUE);
            TrafficShareRow last = h.extractOutputValues().get(h.extractOutputValues().size() - 1);
            assertThat(last.tcpFlows()).isEqualTo(2);
            assertThat(last.mptcpFlows()).isEqualTo(1);
            assertNothingLeft(h);
        }
    }

    @Test
    void sizesAreFinalAndGoneWhenTheTraceEnds() throws Exception {
        try (var h = harness(new SizeFunction(), FlowRecord::trace)) {
            h.processElement(flow(443, 1, 1000), 0);
            h.processElement(flow(443, 1, 3000), 1);
            h.processWatermark(Long.MAX_VALUE);
            assertThat(h.extractOutputValues()).singleElement();
            assertNothingLeft(h);
        }
    }

    @Test
    void appRowsAreGoneWhenTheTraceEnds() throws Exception {
        PortMap ports = PortMap.shipped();
        try (var h = harness(new AppFunction(ports), f -> AppFunction.key(f, ports))) {
            h.processElement(flow(443, 1, 1000), 0);
            h.processElement(flow(443, -1, 1000), 1);
            assertThat(h.extractOutputValues()).hasSize(2);
            assertThat(h.extractOutputValues().get(1).tcpFlows()).isEqualTo(2);
            h.processWatermark(Long.MAX_VALUE);
            assertNothingLeft(h);
        }
    }

    @Test
    void aFlowIsEmittedAndGoneWhenItIsIdleOrTheTraceEnds() throws Exception {
        TcpSegment syn =
                PacketDecoder.decodeIp(
                                TcpEncoder.encode(
                                        IpAddress.parse("198.18.1.1"),
                                        IpAddress.parse("198.18.2.2"),
                                        64,
                                        40000,
                                        443,
                                        1,
                                        0,
                                        TcpSegment.SYN,
                                        1000,
                                        new byte[0]))
                        .segment();
        TrafficPacket p = TrafficPacket.of("t.pcap", DAY_MICROS, 60, syn);
        FlowState fold = FlowState.start(p);
        fold.add(p);
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<FlowKey, PartialFlow, FlowRecord>(
                        new KeyedProcessOperator<>(new FlowFunction(60_000_000L)),
                        PartialFlow::key,
                        TypeInformation.of(FlowKey.class))) {
            h.open();
            h.processElement(
                    new PartialFlow(FlowKey.of(p), null, fold, false, PartialFlow.Next.MORE),
                    DAY_MICROS / 1000);
            assertThat(h.numKeyedStateEntries()).isPositive();
            h.processWatermark(Long.MAX_VALUE);
            assertThat(h.extractOutputValues()).singleElement();
            assertNothingLeft(h);
        }
    }
}
