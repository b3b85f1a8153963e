package org.mpcensus.probe.path;

import java.io.IOException;
import org.apache.flink.configuration.Configuration;
import org.mpcensus.probe.source.plan.ScanPlan;
import org.mpcensus.probe.source.reader.ReaderVantage;
import org.mpcensus.probe.target.OptOutList;
import org.mpcensus.probe.wire.NextHop;
import org.mpcensus.probe.wire.PcapWire;
import org.mpcensus.probe.wire.ProbeSender;
import org.mpcensus.probe.wire.Wire;

/** Opens a {@link PathProber} on the interface, addresses and blocklist of a scan plan. */
public final class PathLink {
    private static final int CAPTURE_BUFFER_BYTES = 8 << 20;

    private PathLink() {}

    /** The prober's settings from the {@link PathOptions} of a configuration. */
    public static PathProber.Settings settings(Configuration conf, ScanPlan plan) {
        int first = conf.get(PathOptions.SOURCE_PORT_FIRST);
        int count = conf.get(PathOptions.SOURCE_PORT_COUNT);
        if (first < 1 || count < 1 || first + count > 65536) {
            throw new IllegalArgumentException(
                    "path probe source ports " + first + " + " + count + " (1..65535)");
        }
        int maxTtl = conf.get(PathOptions.MAX_TTL);
        if (maxTtl < 1 || maxTtl > 64) {
            throw new IllegalArgumentException("max TTL " + maxTtl + " (1..64)");
        }
        double rate = conf.get(PathOptions.RATE);
        if (!(rate > 0)) {
            throw new IllegalArgumentException("path probe rate " + rate + " (must be > 0)");
        }
        return new PathProber.Settings(
                maxTtl,
                Math.max(1, conf.get(PathOptions.SILENT_HOPS)),
                conf.get(PathOptions.HOP_TIMEOUT).toMillis(),
                rate,
                first,
                count,
                plan.v0Key());
    }

    /**
     * Opens the interface of the plan's vantage (resolved as a single reader's) with a capture of
     * ICMP and of TCP to the path probes' ports, and starts a prober on it.
     */
    public static PathProber open(ScanPlan plan, PathProber.Settings settings) throws IOException {
        ReaderVantage v = ReaderVantage.resolve(plan, 1, 0);
        Wire wire =
                PcapWire.open(
                        v.interfaceName(),
                        PathProber.captureFilter(settings),
                        CAPTURE_BUFFER_BYTES,
                        false);
        OptOutList blocklist = plan.safety().open();
        ProbeSender sender =
                new ProbeSender(
                        wire,
                        NextHop.interfaceMac(v.interfaceName()),
                        v.gatewayMac(),
                        v.ipv4(),
                        v.ipv6(),
                        blocklist,
                        plan.v0Key());
        return new PathProber(wire, sender, v.ipv4(), v.ipv6(), settings);
    }
}
