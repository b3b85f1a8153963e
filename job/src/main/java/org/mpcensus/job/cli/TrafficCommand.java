package org.mpcensus.job.cli;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.mpcensus.job.census.run.CensusRunner;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.DatabaseOutput;
import org.mpcensus.job.sink.TraceNames;
import org.mpcensus.job.traffic.TrafficJob;
import org.mpcensus.job.traffic.TrafficOptions;
import org.mpcensus.job.traffic.TrafficTables;
import org.mpcensus.probe.archive.ArchiveFormat;
import org.mpcensus.probe.archive.ArchiveSettings;
import org.mpcensus.probe.archive.ArchiveSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mpcensus traffic}: the share of MPTCP in the TCP traffic of packet traces. */
@Command(
        name = "traffic",
        mixinStandardHelpOptions = true,
        description = {
            "Read packet traces (pcap/pcapng, gzip, directories) for their TCP traffic: reassemble"
                    + " bidirectional flows, mark MPTCP connections and their joined subflows, and"
                    + " count TCP and MPTCP flows and bytes per trace, time bucket and IP version"
                    + " (traffic_share), application (traffic_apps) and flow size"
                    + " (traffic_sizes); every flow goes to traffic_flows."
        })
public final class TrafficCommand implements Callable<Integer> {

    @Mixin CensusArgs census;

    @Mixin CheckpointArgs checkpoints;

    @Mixin InputArgs input;

    @Option(
            names = "--no-flows",
            description =
                    "Leave traffic_flows empty and keep only the aggregates (or -D"
                            + " mpcensus.traffic.flows=false).")
    boolean noFlows;

    Configuration configuration() {
        Configuration conf = census.configuration();
        if (noFlows) {
            conf.set(TrafficOptions.FLOWS, false);
        }
        return conf;
    }

    @Override
    public Integer call() throws Exception {
        Configuration conf = configuration();
        for (String file : input.files) {
            String problem = InputArgs.problem(file);
            if (problem != null) {
                throw new UserError(problem);
            }
        }
        checkpoints.apply(conf, false, true);
        CensusDatabase db = census.check(conf);
        CensusRunner runner =
                census.runner(db, "traffic", checkpoints)
                        .inputs(input.description())
                        .files(input.files, false);
        census.run(
                "traffic",
                runner,
                census.withStatus(
                        "traffic",
                        conf,
                        input.bytes(),
                        run -> {
                            List<String> read = run.filesToRead();
                            Optional<String> clash = TraceNames.clash(read, run.database());
                            if (clash.isPresent()) {
                                throw new UserError(clash.get());
                            }
                            return new TrafficJob(
                                            ArchiveSource.builder()
                                                    .format(ArchiveFormat.TRAFFIC)
                                                    .settings(
                                                            ArchiveSettings.fromConfiguration(conf))
                                                    .paths(read.toArray(new String[0]))
                                                    .build(),
                                            List.of(new DatabaseOutput(run.database(), conf)),
                                            conf)
                                    .run();
                        }),
                stats -> String.format("%,d dead letters", stats.deadLetters()));
        printShares(db, runner.filesRead(), conf.get(TrafficOptions.MIN_PACKETS));
        return 0;
    }

    /** Prints the shares per trace, time bucket and IP version. */
    /**
     * Prints the shares of every trace of the census, then one line for each trace this run read
     * that has none (no flow of the least packets, or no TCP at all).
     */
    private static void printShares(CensusDatabase db, List<String> read, int minPackets)
            throws Exception {
        java.util.Set<String> shown = new java.util.HashSet<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT trace, bucket, ip_version, tcp_flows, mptcp_flows, tcp_bytes,"
                                        + " mptcp_bytes, connections, subflows FROM "
                                        + TrafficTables.SHARE.name()
                                        + " ORDER BY trace, bucket, ip_version")) {
            System.out.printf(
                    "%-32s %-10s %2s %10s %11s %7s %14s %12s %7s %11s %8s%n",
                    "trace",
                    "bucket",
                    "ip",
                    "tcp_flows",
                    "mptcp_flows",
                    "flows%",
                    "tcp_bytes",
                    "mptcp_bytes",
                    "bytes%",
                    "connections",
                    "subflows");
            while (r.next()) {
                shown.add(r.getString(1));
                long flows = r.getLong(4);
                long bytes = r.getLong(6);
                System.out.printf(
                        "%-32s %-10s %2d %10d %11d %6.2f%% %14d %12d %6.2f%% %11d %8d%n",
                        r.getString(1),
                        r.getString(2),
                        r.getInt(3),
                        flows,
                        r.getLong(5),
                        flows == 0 ? 0 : 100.0 * r.getLong(5) / flows,
                        bytes,
                        r.getLong(7),
                        bytes == 0 ? 0 : 100.0 * r.getLong(7) / bytes,
                        r.getLong(8),
                        r.getLong(9));
            }
        }
        for (String file : read) {
            String trace = Path.of(file).getFileName().toString();
            if (!shown.contains(trace)) {
                System.out.println(
                        trace
                                + ": no TCP flow of at least "
                                + minPackets
                                + " packets (mpcensus.traffic.min-packets), so no shares");
            }
        }
    }
}
