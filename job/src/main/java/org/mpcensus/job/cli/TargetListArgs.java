package org.mpcensus.job.cli;

import org.apache.flink.configuration.Configuration;
import org.mpcensus.probe.source.plan.ProbeSourceOptions;
import picocli.CommandLine.Option;

/**
 * The host list of the commands that work on listed hosts ({@code verify}, {@code http-timing}): a
 * hitlist, taken in its order.
 */
final class TargetListArgs {

    @Option(
            names = "--targets",
            required = true,
            paramLabel = "FILE",
            description = "Addresses (IPv4 or IPv6), one per line.")
    String file;

    /** Sets the list as the hitlist, unshuffled. */
    void apply(Configuration conf) {
        conf.set(ProbeSourceOptions.HITLIST, file);
        conf.set(ProbeSourceOptions.SHUFFLE_HITLIST, false);
    }
}
