package org.mpcensus.job.cli;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.mpcensus.job.CensusOptions;
import org.mpcensus.job.CensusSummary;
import org.mpcensus.job.ProbeJob;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.CensusSinks;
import org.mpcensus.probe.source.ProbeSource;
import org.mpcensus.probe.source.ProbeSourceOptions;
import org.mpcensus.probe.source.ScanPlan;
import org.mpcensus.probe.wire.PcapWire;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mpcensus probe}: a live scan on a local Flink MiniCluster (needs CAP_NET_RAW). */
@Command(
        name = "probe",
        mixinStandardHelpOptions = true,
        description = {
            "Scan with TCP SYNs carrying MP_CAPABLE (v0 with a static key, v1 without) on a local"
                    + " Flink MiniCluster and classify every reply into the census tables.",
            "Needs CAP_NET_RAW (root). Probes only the targets you name, never an address on the"
                    + " blocklist (by default the IANA special-purpose ranges), at the rate you set."
        })
public final class ProbeCommand implements Callable<Integer> {

    @Mixin CensusArgs census;

    @Mixin KafkaArgs kafka;

    @Mixin CheckpointArgs checkpoints;

    @Option(
            names = "--interface",
            required = true,
            description = "Interface to send and capture on.")
    String iface;

    @Option(
            names = "--source-ip",
            required = true,
            split = ",",
            paramLabel = "ADDR",
            description = "Source address(es) of the probes: one IPv4 and/or one IPv6.")
    List<String> sourceIps;

    @Option(
            names = "--gateway-mac",
            description = "MAC of the next hop (default: neighbour table).")
    String gatewayMac;

    @Option(
            names = "--targets",
            split = ",",
            paramLabel = "CIDR",
            description = "IPv4 prefixes to scan.")
    List<String> targets = List.of();

    @Option(
            names = "--targets-file",
            paramLabel = "FILE",
            description = "IPv4 prefixes, one per line.")
    String targetsFile;

    @Option(
            names = "--hitlist",
            paramLabel = "FILE",
            description = "Addresses (IPv6 or IPv4), one per line.")
    String hitlist;

    @Option(
            names = "--ports",
            split = ",",
            defaultValue = "80,443",
            description = "Ports (default: ${DEFAULT-VALUE}).")
    List<Integer> ports;

    @Option(
            names = "--versions",
            split = ",",
            defaultValue = "0,1",
            description = "MPTCP versions (default: ${DEFAULT-VALUE}).")
    List<Integer> versions;

    @Option(
            names = "--rate",
            required = true,
            description = "Global send rate, packets per second.")
    double rate;

    @Option(names = "--max-targets", description = "Send at most this many probes.")
    Long maxTargets;

    @Option(
            names = "--duration",
            description = "Stop sending after this long (ISO-8601 or e.g. 10 min).")
    String duration;

    @Option(
            names = "--cooldown",
            defaultValue = "8 s",
            description = "Capture time after the last probe (default: ${DEFAULT-VALUE}).")
    String cooldown;

    @Option(
            names = "--schedule",
            description = "Start a new scan this often (e.g. '24 h'); unbounded.")
    String schedule;

    @Option(names = "--scans", description = "With --schedule: stop after this many scans.")
    Integer scans;

    @Option(names = "--seed", description = "Permutation seed (default: random).")
    Long seed;

    @Option(
            names = "--blocklist",
            split = ",",
            paramLabel = "FILE",
            description =
                    "Blocklist file(s) that REPLACE the built-in IANA special-purpose ranges.")
    List<String> blocklist = List.of();

    @Option(
            names = "--extra-blocklist",
            split = ",",
            paramLabel = "FILE",
            description = "Blocklist file(s) added to the list.")
    List<String> extraBlocklist = List.of();

    @Option(
            names = "--opt-out",
            paramLabel = "FILE",
            description = "Opt-out file, re-read while running.")
    String optOut;

    @Option(
            names = "--archive",
            paramLabel = "FILE",
            description = "Also write every reply to this JSON Lines archive.")
    String archive;

    @Override
    public Integer call() throws Exception {
        Configuration conf = census.configuration();
        conf.set(ProbeSourceOptions.INTERFACE, iface);
        for (String ip : sourceIps) {
            conf.set(
                    ip.contains(":")
                            ? ProbeSourceOptions.SOURCE_IPV6
                            : ProbeSourceOptions.SOURCE_IPV4,
                    ip);
        }
        Settings.setIfGiven(conf, ProbeSourceOptions.GATEWAY_MAC, gatewayMac);
        conf.set(ProbeSourceOptions.TARGETS, targets);
        Settings.setIfGiven(conf, ProbeSourceOptions.TARGETS_FILE, targetsFile);
        Settings.setIfGiven(conf, ProbeSourceOptions.HITLIST, hitlist);
        conf.set(ProbeSourceOptions.PORTS, ports);
        conf.set(ProbeSourceOptions.VERSIONS, versions);
        conf.set(ProbeSourceOptions.RATE, rate);
        Settings.setIfGiven(conf, ProbeSourceOptions.MAX_TARGETS, maxTargets);
        Settings.setTextIfGiven(conf, ProbeSourceOptions.DURATION, duration);
        conf.setString(ProbeSourceOptions.COOLDOWN.key(), cooldown);
        Settings.setIfGiven(conf, ProbeSourceOptions.SEED, seed);
        Settings.setTextIfGiven(conf, ProbeSourceOptions.SCHEDULE, schedule);
        Settings.setIfGiven(conf, ProbeSourceOptions.SCANS, scans);
        conf.set(ProbeSourceOptions.BLOCKLIST, blocklist);
        conf.set(ProbeSourceOptions.EXTRA_BLOCKLIST, extraBlocklist);
        Settings.setIfGiven(conf, ProbeSourceOptions.OPT_OUT, optOut);
        conf.set(ProbeSourceOptions.STATUS, true);
        Settings.setIfGiven(conf, CensusOptions.ARCHIVE, archive);
        ScanPlan plan;
        try {
            plan = ScanPlan.fromConfiguration(conf);
        } catch (IllegalArgumentException e) {
            System.err.println("mpcensus probe: " + e.getMessage());
            return 2;
        }
        try {
            // Fail before any job starts when the interface cannot be opened (capabilities).
            PcapWire.open(iface, "tcp", 1 << 16, plan.batchedSend()).close();
        } catch (IOException e) {
            System.err.println("mpcensus probe: " + e.getMessage());
            return 2;
        }
        kafka.apply(conf);
        Optional<String> noCheckpoint = checkpoints.apply(conf, kafka.given());
        if (noCheckpoint.isPresent()) {
            System.err.println("mpcensus probe: " + noCheckpoint.get());
            return 2;
        }
        if (kafka.given()) {
            KafkaArgs.publish(conf);
            new ProbeJob(ProbeSource.of(plan), null, conf).run();
            return 0;
        }
        CensusDatabase db = census.check(conf);
        census.run(
                db,
                "probe",
                String.join(",", targets),
                false,
                false,
                checkpoints,
                staged ->
                        new ProbeJob(ProbeSource.of(plan), new CensusSinks(staged, conf), conf)
                                .run());
        CensusSummary.print(db, System.out);
        return 0;
    }
}
