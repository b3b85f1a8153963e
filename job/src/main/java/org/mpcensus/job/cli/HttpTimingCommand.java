package org.mpcensus.job.cli;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.mpcensus.job.census.CensusSummary;
import org.mpcensus.job.http.HttpTables;
import org.mpcensus.job.http.HttpTimingJob;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.DatabaseOutput;
import org.mpcensus.probe.http.HttpOptions;
import org.mpcensus.probe.http.KernelSocket;
import org.mpcensus.probe.source.plan.ScanPlan;
import org.mpcensus.udf.scope.HostOfInterest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mpcensus http-timing}: HTTP(S) GETs over MPTCP and TCP to a list of hosts, timed. */
@Command(
        name = "http-timing",
        mixinStandardHelpOptions = true,
        description = {
            "Time HTTP(S) GETs to a list of hosts over Multipath TCP and over TCP, as the published"
                    + " studies did: paired runs (MPTCP then TCP, or TCP then MPTCP, alternated),"
                    + " each recording the connect, TLS handshake (on 443), first byte and total"
                    + " times, whether the MPTCP connection stayed MPTCP, and the status, into"
                    + " census_http; the medians of MPTCP minus TCP per host and port go into"
                    + " census_http_deltas.",
            "Needs a kernel with MPTCP (net.mptcp.enabled=1), not root. Connects only to the hosts"
                    + " you list, never to an address on the blocklist, at the rate you set."
        })
public final class HttpTimingCommand implements Callable<Integer> {

    @Mixin CensusArgs census;

    @Mixin CheckpointArgs checkpoints;

    @Mixin TargetListArgs targets;

    /** The -D options with the command line's on top. */
    Configuration configuration() {
        Configuration conf = census.configuration();
        targets.apply(conf);
        return conf;
    }

    @Override
    public Integer call() throws Exception {
        Configuration conf = configuration();
        List<HostOfInterest> listed;
        ScanPlan.Safety safety = ScanPlan.Safety.of(conf);
        try {
            listed = HttpTimingJob.targets(conf);
            HttpOptions.settings(conf);
            safety.open();
        } catch (IllegalArgumentException | IOException e) {
            throw new UserError(e.getMessage());
        }
        try {
            KernelSocket.open(false, KernelSocket.IPPROTO_MPTCP).close();
        } catch (IOException e) {
            throw new UserError(
                    "this kernel cannot open MPTCP sockets ("
                            + e.getMessage()
                            + "); it needs Linux 5.16 or later with net.mptcp.enabled=1");
        }
        checkpoints.apply(conf, false, true);
        CensusDatabase db = census.check(conf);
        census.run(
                "http-timing",
                census.runner(db, "http-timing", checkpoints).inputs(targets.file).timesHttp(true),
                census.withStageStatus(
                        "http-timing",
                        conf,
                        run ->
                                new HttpTimingJob(
                                                listed,
                                                safety,
                                                List.of(new DatabaseOutput(run.database(), conf)),
                                                conf)
                                        .httpRunsFrom(run.httpRunsFrom())
                                        .run()),
                stats ->
                        String.format(
                                "%,d hosts x ports, %d paired runs each, timed into %s and %s",
                                listed.size(),
                                conf.get(HttpOptions.RUNS),
                                HttpTables.HTTP.name(),
                                HttpTables.DELTAS.name()));
        printDeltas(db);
        CensusSummary.printHttp(db, System.out);
        return 0;
    }

    /** Prints each listed host's medians, one host and port per line. */
    private static void printDeltas(CensusDatabase db) throws Exception {
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT d.host, d.port, d.runs, d.answered_runs, d.mptcp_runs,"
                                        + " d.connect_delta_ms, d.tls_delta_ms,"
                                        + " d.first_byte_delta_ms, d.total_delta_ms, e.error,"
                                        + " d.month"
                                        + " FROM "
                                        + HttpTables.DELTAS.name()
                                        + " d LEFT JOIN (SELECT month, host, port, MIN(error)"
                                        + " AS error FROM "
                                        + HttpTables.HTTP.name()
                                        + " GROUP BY month, host, port) e"
                                        + " ON d.month = e.month AND d.host = e.host"
                                        + " AND d.port = e.port WHERE d.category = '"
                                        + HostOfInterest.LISTED
                                        + "'")) {
            System.out.println(
                    "median MPTCP - TCP per host and port, in ms (answered: runs with both GETs"
                            + " answered; mptcp: runs whose MPTCP GET stayed MPTCP; error: one"
                            + " of the GETs' errors)");
            System.out.printf(
                    "%-39s %5s %4s %8s %5s %9s %9s %10s %9s %s%n",
                    "host",
                    "port",
                    "runs",
                    "answered",
                    "mptcp",
                    "connect",
                    "tls",
                    "first_byte",
                    "total",
                    "error");
            // Hosts in address order (198.18.2.1 before 198.18.10.1), IPv4 before IPv6.
            java.util.TreeMap<String, String> lines = new java.util.TreeMap<>();
            while (r.next()) {
                lines.put(
                        r.getString(11) + sortKey(r.getString(1), r.getInt(2)),
                        String.format(
                                "%-39s %5d %4d %8d %5d %9s %9s %10s %9s %s",
                                r.getString(1),
                                r.getInt(2),
                                r.getInt(3),
                                r.getInt(4),
                                r.getInt(5),
                                ms(r, 6),
                                ms(r, 7),
                                ms(r, 8),
                                ms(r, 9),
                                r.getString(10) == null ? "-" : r.getString(10)));
            }
            lines.values().forEach(System.out::println);
        }
    }

    /** A key that sorts hosts by address (IPv4 first), then port. */
    static String sortKey(String host, int port) {
        byte[] a = org.mpcensus.probe.packet.IpAddress.parse(host);
        return (a.length == 4 ? "4" : "6")
                + java.util.HexFormat.of().formatHex(a)
                + String.format("%05d", port);
    }

    private static String ms(ResultSet r, int column) throws Exception {
        double v = r.getDouble(column);
        return r.wasNull() ? "-" : String.format("%+.1f", v);
    }
}
