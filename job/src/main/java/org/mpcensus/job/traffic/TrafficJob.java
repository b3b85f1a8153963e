package org.mpcensus.job.traffic;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.mpcensus.job.output.CensusOutput;
import org.mpcensus.job.runtime.JobEnvironment;
import org.mpcensus.job.runtime.RunStatistics;
import org.mpcensus.job.schema.CensusTables;
import org.mpcensus.probe.event.CensusInput;
import org.mpcensus.probe.event.DeadLetter;
import org.mpcensus.probe.traffic.FlowRecord;
import org.mpcensus.probe.traffic.PartialFlow;

/**
 * Passive traffic of packet traces ({@code mpcensus traffic}): the archive source reads every TCP
 * segment of pcap/pcapng traces (gzip, directories) in capture time; the task that read the packets
 * folds them into partial flows ({@link FlowFoldOperator}), and flows are merged from them in keyed
 * state ({@link FlowFunction}); flows of at least {@link TrafficOptions#MIN_PACKETS} packets are
 * summed per trace, time bucket and IP version ({@link ShareFunction}), spread over flow sizes
 * ({@link SizeFunction}) and applications ({@link AppFunction}). Writes {@code traffic_flows}
 * (unless {@link TrafficOptions#FLOWS} is off), {@code traffic_share}, {@code traffic_sizes},
 * {@code traffic_apps} and the dead letters of undecodable frames.
 */
public record TrafficJob(
        FileSource<CensusInput> source, List<? extends CensusOutput> outputs, Configuration conf) {

    /** Builds the job graph on an environment. */
    public void build(StreamExecutionEnvironment env) {
        DataStream<CensusInput> input =
                env.fromSource(
                                source,
                                WatermarkStrategy.<CensusInput>forBoundedOutOfOrderness(
                                                Duration.ofSeconds(1))
                                        .withTimestampAssigner(
                                                (r, t) ->
                                                        r.packet() != null
                                                                ? r.packet().micros() / 1000
                                                                : t),
                                "traces")
                        .uid("traces");
        long idleMicros = conf.get(TrafficOptions.IDLE_TIMEOUT).toNanos() / 1000;
        SingleOutputStreamOperator<PartialFlow> partials =
                input.transform(
                                "fold-flows",
                                TypeInformation.of(PartialFlow.class),
                                new FlowFoldOperator(idleMicros))
                        .uid("fold-flows");
        DataStream<DeadLetter> deadLetters =
                partials.getSideOutput(FlowFoldOperator.DEAD_LETTERS)
                        .map(new RunStatistics.CountDeadLetters(false))
                        .name("count-dead-letters")
                        .uid("count-dead-letters");
        DataStream<FlowRecord> flows =
                partials.keyBy(PartialFlow::key)
                        .process(new FlowFunction(idleMicros))
                        .name("flows")
                        .uid("flows");
        int minPackets = conf.get(TrafficOptions.MIN_PACKETS);
        DataStream<FlowRecord> notScans =
                flows.filter(f -> f.packets() >= minPackets).name("not-scans").uid("not-scans");
        DataStream<TrafficSizeRow> sizes =
                notScans.keyBy(FlowRecord::trace)
                        .process(new SizeFunction())
                        .name("sizes")
                        .uid("sizes");
        PortMap ports = PortMap.shipped();
        DataStream<TrafficAppRow> apps =
                notScans.keyBy(f -> AppFunction.key(f, ports))
                        .process(new AppFunction(ports))
                        .name("apps")
                        .uid("apps");
        DataStream<TrafficShareRow> shares =
                notScans.keyBy(FlowRecord::trace)
                        .process(
                                new ShareFunction(
                                        conf.get(TrafficOptions.EWMA_ALPHA),
                                        conf.get(TrafficOptions.BUCKET) == TrafficBucket.DAY))
                        .name("shares")
                        .uid("shares");
        if (conf.get(TrafficOptions.FLOWS)) {
            CensusOutput.writeAll(outputs, TrafficTables.FLOWS, flows);
        }
        CensusOutput.writeAll(outputs, TrafficTables.SHARE, shares);
        CensusOutput.writeAll(outputs, TrafficTables.SIZES, sizes);
        CensusOutput.writeAll(outputs, TrafficTables.APPS, apps);
        CensusOutput.writeAll(outputs, CensusTables.DEAD_LETTERS, deadLetters);
    }

    /** Prepares the outputs and reads the traces to their end. */
    public JobExecutionResult run() throws Exception {
        return JobEnvironment.run(conf, outputs, this::build, "mpcensus traffic");
    }
}
