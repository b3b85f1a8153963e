package org.mpcensus.job.cli;

import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.mpcensus.probe.source.plan.ProbeSourceOptions;
import picocli.CommandLine.Option;

/**
 * The options of every command that reaches hosts ({@code probe}, {@code verify}, {@code
 * http-timing}): the ports, and the addresses it may never reach.
 */
final class SafetyArgs {

    @Option(
            names = "--ports",
            split = ",",
            description = "Ports (default: -D mpcensus.probe.ports, else 80,443).")
    List<Integer> ports;

    @Option(
            names = "--blocklist",
            split = ",",
            paramLabel = "FILE",
            description =
                    "Blocklist file(s) that REPLACE the built-in IANA special-purpose ranges.")
    List<String> blocklist;

    @Option(
            names = "--extra-blocklist",
            split = ",",
            paramLabel = "FILE",
            description = "Blocklist file(s) added to the list.")
    List<String> extraBlocklist;

    @Option(
            names = "--opt-out",
            paramLabel = "FILE",
            description = "Opt-out file, re-read while running.")
    String optOut;

    /** Sets the options given on the command line, over the -D ones. */
    void apply(Configuration conf) {
        Settings.setIfGiven(conf, ProbeSourceOptions.PORTS, ports);
        Settings.setIfGiven(conf, ProbeSourceOptions.BLOCKLIST, blocklist);
        Settings.setIfGiven(conf, ProbeSourceOptions.EXTRA_BLOCKLIST, extraBlocklist);
        Settings.setIfGiven(conf, ProbeSourceOptions.OPT_OUT, optOut);
    }
}
