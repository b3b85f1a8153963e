package org.mpcensus.job.cli;

import java.io.IOException;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.mpcensus.probe.source.plan.ProbeSourceOptions;
import org.mpcensus.probe.source.plan.ScanPlan;
import org.mpcensus.probe.source.reader.ReaderVantage;
import org.mpcensus.probe.wire.PcapWire;
import picocli.CommandLine.Option;

/**
 * The options of every command that puts probes on the wire ({@code probe}, {@code verify}): where
 * they leave from, what versions they carry, and the ports and addresses of {@link SafetyArgs}.
 */
final class WireArgs {

    @Option(
            names = "--source-ip",
            split = ",",
            paramLabel = "ADDR",
            description =
                    "Source address(es) of the probes: one IPv4 and/or one IPv6, or auto: each"
                            + " family's from the route to its first target (or -D"
                            + " mpcensus.probe.source-ipv4 / source-ipv6).")
    List<String> sourceIps;

    /**
     * Sets the source addresses given on the command line, over the -D ones, and refuses a
     * configuration without an interface or a source address.
     */
    void apply(Configuration conf) {
        for (String ip : sourceIps == null ? List.<String>of() : sourceIps) {
            if (ScanPlan.AUTO.equals(ip)) {
                // each family from the route to its first target (none: that family unused)
                conf.set(ProbeSourceOptions.SOURCE_IPV4, ip);
                conf.set(ProbeSourceOptions.SOURCE_IPV6, ip);
                continue;
            }
            conf.set(
                    ip.contains(":")
                            ? ProbeSourceOptions.SOURCE_IPV6
                            : ProbeSourceOptions.SOURCE_IPV4,
                    ip);
        }
        requireVantage(conf);
    }

    /** Refuses a configuration without an interface or a source address, naming the flag. */
    private static void requireVantage(Configuration conf) {
        if (!conf.contains(ProbeSourceOptions.INTERFACE)) {
            throw new UserError(
                    "give --interface (or -D " + ProbeSourceOptions.INTERFACE.key() + "=...)");
        }
        if (!conf.contains(ProbeSourceOptions.SOURCE_IPV4)
                && !conf.contains(ProbeSourceOptions.SOURCE_IPV6)) {
            throw new UserError("give --source-ip (an IPv4 and/or an IPv6 address)");
        }
    }

    /** The scan plan of a configuration; a target list that cannot be read is the user's file. */
    static ScanPlan plan(Configuration conf) {
        try {
            return ScanPlan.fromConfiguration(conf);
        } catch (IllegalArgumentException | IOException e) {
            throw new UserError(e.getMessage());
        }
    }

    /**
     * Before any job: checks the options by name (a bad {@code --gateway-mac} names its key), then
     * resolves the interface as the job will (auto: the route's) and opens it once with a capture
     * filter (capabilities), so that what the user must fix is one line.
     */
    static void checkVantage(Configuration conf, ScanPlan plan, String filter, boolean batched) {
        try {
            Preflight.checkOptions(conf);
            String device = ReaderVantage.resolve(plan, 1, 0).interfaceName();
            PcapWire.open(device, filter, 1 << 16, batched).close();
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }
}
