package org.mpcensus.job.cli;

import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.mpcensus.probe.source.plan.ProbeSourceOptions;
import org.mpcensus.probe.source.plan.ScanPlan;
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

    /** Sets the options given on the command line, over the -D ones. */
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
    }

    /** Refuses a configuration without an interface or a source address, naming the flag. */
    static void requireVantage(Configuration conf) {
        if (!conf.contains(ProbeSourceOptions.INTERFACE)) {
            throw new UserError(
                    "give --interface (or -D " + ProbeSourceOptions.INTERFACE.key() + "=...)");
        }
        if (!conf.contains(ProbeSourceOptions.SOURCE_IPV4)
                && !conf.contains(ProbeSourceOptions.SOURCE_IPV6)) {
            throw new UserError("give --source-ip (an IPv4 and/or an IPv6 address)");
        }
    }
}
