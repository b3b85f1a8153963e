package org.mpcensus.job.cli;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.mpcensus.job.census.CensusSummary;
import org.mpcensus.job.path.PathTables;
import org.mpcensus.job.path.VerifyJob;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.DatabaseOutput;
import org.mpcensus.probe.path.PathLink;
import org.mpcensus.probe.path.PathOptions;
import org.mpcensus.probe.source.plan.ProbeSourceOptions;
import org.mpcensus.probe.source.plan.ScanPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mpcensus verify}: tracebox-style path verification of a list of hosts. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Verify the paths to a list of hosts as the published studies did with tracebox: SYNs"
                    + " carrying MP_CAPABLE with TTL 1, 2, 3, ..., each router's ICMP quote"
                    + " compared with what was sent. Every host becomes TRULY_CAPABLE,"
                    + " MIDDLEBOX_AFFECTED (with the hop and what it changed), UNREACHABLE or"
                    + " NOT_MPTCP in census_paths.",
            "Needs CAP_NET_RAW (root). Probes only the hosts you list, never an address on the"
                    + " blocklist, at the rate you set."
        })
public final class VerifyCommand implements Callable<Integer> {

    @Mixin CensusArgs census;

    @Mixin CheckpointArgs checkpoints;

    @Mixin WireArgs wire;

    @Mixin TargetListArgs targets;

    /** The -D options with the command line's on top. */
    Configuration configuration() {
        Configuration conf = census.configuration();
        targets.apply(conf);
        wire.apply(conf);
        // The plan's own rate is the scan's; verification paces itself with mpcensus.verify.rate.
        conf.set(ProbeSourceOptions.RATE, conf.get(PathOptions.RATE));
        return conf;
    }

    @Override
    public Integer call() throws Exception {
        Configuration conf = configuration();
        ScanPlan plan = WireArgs.plan(conf);
        try {
            PathLink.settings(conf, plan);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        WireArgs.checkVantage(conf, plan, "icmp", false);
        checkpoints.apply(conf, false, true);
        CensusDatabase db = census.check(conf);
        census.run(
                "verify",
                census.runner(db, "verify", checkpoints).inputs(targets.file),
                census.withStageStatus(
                        "verify",
                        conf,
                        run ->
                                new VerifyJob(
                                                plan,
                                                List.of(new DatabaseOutput(run.database(), conf)),
                                                conf)
                                        .run()),
                stats ->
                        String.format(
                                "%,d paths (hosts x ports x versions) verified into %s",
                                plan.space().size(), PathTables.PATHS.name()));
        printPaths(db);
        CensusSummary.printPaths(db, System.out);
        return 0;
    }

    /** Prints this month's verdicts, one host per line. */
    private static void printPaths(CensusDatabase db) throws Exception {
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT host, port, probed_version, category, modifying_hop,"
                                        + " hop_address, modification, answer, quote_lengths FROM "
                                        + PathTables.PATHS.name()
                                        + " WHERE classification = 'LISTED'"
                                        + " ORDER BY month, host, port, probed_version")) {
            System.out.printf(
                    "%-39s %5s %3s %-18s %3s %-39s %-24s %-18s %s%n",
                    "host",
                    "port",
                    "v",
                    "category",
                    "hop",
                    "hop_address",
                    "modification",
                    "answer",
                    "quote_lengths");
            while (r.next()) {
                System.out.printf(
                        "%-39s %5d %3s %-18s %3s %-39s %-24s %-18s %s%n",
                        r.getString(1),
                        r.getInt(2),
                        "v" + r.getInt(3),
                        r.getString(4),
                        r.getObject(5) == null ? "-" : r.getString(5),
                        r.getString(6) == null ? "-" : r.getString(6),
                        r.getString(7) == null ? "-" : r.getString(7),
                        r.getString(8),
                        r.getString(9));
            }
        }
    }
}
