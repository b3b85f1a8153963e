package org.mpcensus.probe.source.plan;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.mpcensus.probe.packet.Bytes;
import org.mpcensus.probe.packet.IpAddress;
import org.mpcensus.probe.target.Blocklist;
import org.mpcensus.probe.target.OptOutList;
import org.mpcensus.probe.target.TargetSpace;

/**
 * One scan, resolved from {@link ProbeSourceOptions} on the client: what to probe, how fast, from
 * where, what never to probe, and how often. Refuses to exist without targets.
 *
 * @param scanId the scan id
 * @param space the probes
 * @param seed the permutation seed
 * @param shards splits the scan is cut into
 * @param v0Key static key of v0 probes
 * @param status whether readers print status lines
 * @param pace how fast and how long
 * @param origin where probes leave from
 * @param safety what is never probed
 * @param schedule repeated scans
 */
public record ScanPlan(
        String scanId,
        TargetSpace space,
        long seed,
        int shards,
        long v0Key,
        boolean status,
        Pace pace,
        Origin origin,
        Safety safety,
        Schedule schedule)
        implements Serializable {

    /**
     * How fast and how long.
     *
     * @param rate global packets per second
     * @param maxProbes most probes to send in all, or -1
     * @param durationMillis stop sending after this long, or -1
     * @param cooldownMillis capture time after a split's last probe
     * @param replyWindowMillis how long a reply may take; checkpoints count a probe done after it
     */
    public record Pace(
            double rate,
            long maxProbes,
            long durationMillis,
            long cooldownMillis,
            long replyWindowMillis)
            implements Serializable {

        static Pace of(Configuration conf) {
            double rate = conf.get(ProbeSourceOptions.RATE);
            if (!(rate > 0)) {
                throw new IllegalArgumentException("rate must be positive");
            }
            return new Pace(
                    rate,
                    conf.getOptional(ProbeSourceOptions.MAX_TARGETS).orElse(-1L),
                    conf.getOptional(ProbeSourceOptions.DURATION)
                            .map(Duration::toMillis)
                            .orElse(-1L),
                    conf.get(ProbeSourceOptions.COOLDOWN).toMillis(),
                    conf.get(ProbeSourceOptions.REPLY_WINDOW).toMillis());
        }
    }

    /**
     * Where probes leave from.
     *
     * @param vantage the vantage id
     * @param interfaceName the interface, or {@link #AUTO}
     * @param sourceIpv4 IPv4 source (text, or {@link #AUTO}), or null
     * @param sourceIpv6 IPv6 source (text, or {@link #AUTO}), or null
     * @param gatewayMac next-hop MAC (text), or null to look it up
     * @param sourcePortFirst first source port
     * @param sourcePortCount source ports in all
     * @param sender how probes reach the wire: {@code sendmmsg} or {@code pcap}
     */
    public record Origin(
            String vantage,
            String interfaceName,
            String sourceIpv4,
            String sourceIpv6,
            String gatewayMac,
            int sourcePortFirst,
            int sourcePortCount,
            String sender)
            implements Serializable {

        static Origin of(Configuration conf) {
            String iface =
                    conf.getOptional(ProbeSourceOptions.INTERFACE)
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "no interface (--interface)"));
            String v4 = conf.getOptional(ProbeSourceOptions.SOURCE_IPV4).orElse(null);
            String v6 = conf.getOptional(ProbeSourceOptions.SOURCE_IPV6).orElse(null);
            if (v4 == null && v6 == null) {
                throw new IllegalArgumentException("no source address (--source-ip)");
            }
            if (v4 != null && !AUTO.equals(v4)) {
                IpAddress.parse(v4);
            }
            if (v6 != null && !AUTO.equals(v6)) {
                IpAddress.parse(v6);
            }
            String sender = conf.get(ProbeSourceOptions.SENDER);
            if (!sender.equals("sendmmsg") && !sender.equals("pcap")) {
                throw new IllegalArgumentException(
                        ProbeSourceOptions.SENDER.key() + " is sendmmsg or pcap, not " + sender);
            }
            return new Origin(
                    conf.get(ProbeSourceOptions.VANTAGE),
                    iface,
                    v4,
                    v6,
                    conf.getOptional(ProbeSourceOptions.GATEWAY_MAC).orElse(null),
                    conf.get(ProbeSourceOptions.SOURCE_PORT_FIRST),
                    conf.get(ProbeSourceOptions.SOURCE_PORT_COUNT),
                    sender);
        }

        /** True when probes go out in sendmmsg batches. */
        public boolean batchedSend() {
            return sender.equals("sendmmsg");
        }
    }

    /**
     * What is never probed.
     *
     * @param blocklist files replacing the IANA ranges (empty: keep them)
     * @param extraBlocklist files adding to the blocklist
     * @param optOut the opt-out file, or null
     */
    public record Safety(List<String> blocklist, List<String> extraBlocklist, String optOut)
            implements Serializable {

        /** The blocklists and opt-out file a configuration names. */
        public static Safety of(Configuration conf) {
            return new Safety(
                    List.copyOf(conf.get(ProbeSourceOptions.BLOCKLIST)),
                    List.copyOf(conf.get(ProbeSourceOptions.EXTRA_BLOCKLIST)),
                    conf.getOptional(ProbeSourceOptions.OPT_OUT).orElse(null));
        }

        /** Reads the blocklist files and watches the opt-out file: what every probe must pass. */
        public OptOutList open() throws IOException {
            Blocklist fixed =
                    Blocklist.of(
                            blocklist.stream().map(Path::of).toList(),
                            extraBlocklist.stream().map(Path::of).toList());
            return new OptOutList(fixed, optOut == null ? null : Path.of(optOut));
        }
    }

    /**
     * Repeated scans.
     *
     * @param periodMillis period between scans, or -1 for one scan
     * @param scans scans to run, or -1 for no end
     */
    public record Schedule(long periodMillis, int scans) implements Serializable {
        static Schedule of(Configuration conf) {
            return new Schedule(
                    conf.getOptional(ProbeSourceOptions.SCHEDULE)
                            .map(Duration::toMillis)
                            .orElse(-1L),
                    conf.getOptional(ProbeSourceOptions.SCANS).orElse(-1));
        }
    }

    /**
     * The interface or source address {@code auto}: each reader takes the kernel's route to the
     * scan's first target on its own host, so TaskManagers on many vantage nodes share one plan.
     */
    public static final String AUTO = "auto";

    /**
     * Resolves the options.
     *
     * @throws IllegalArgumentException when there are no targets, no interface or no source address
     */
    public static ScanPlan fromConfiguration(Configuration conf) throws IOException {
        List<String> cidrs = new ArrayList<>(conf.get(ProbeSourceOptions.TARGETS));
        if (conf.getOptional(ProbeSourceOptions.TARGETS_FILE).isPresent()) {
            Path f = Path.of(conf.get(ProbeSourceOptions.TARGETS_FILE));
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                int hash = line.indexOf('#');
                String t = (hash >= 0 ? line.substring(0, hash) : line).trim();
                if (!t.isEmpty()) {
                    cidrs.add(t);
                }
            }
        }
        List<String> hitlist =
                conf.getOptional(ProbeSourceOptions.HITLIST).isPresent()
                        ? TargetSpace.readHitlist(Path.of(conf.get(ProbeSourceOptions.HITLIST)))
                        : List.of();
        if (cidrs.isEmpty() && hitlist.isEmpty()) {
            throw new IllegalArgumentException(
                    "no targets: name the prefixes to scan (--targets) or a hitlist (--hitlist);"
                            + " mpcensus never picks targets itself");
        }
        Origin origin = Origin.of(conf);
        Pace pace = Pace.of(conf);
        long seed = conf.getOptional(ProbeSourceOptions.SEED).orElseGet(System::nanoTime);
        TargetSpace space =
                TargetSpace.of(
                        cidrs,
                        hitlist,
                        conf.get(ProbeSourceOptions.PORTS),
                        conf.get(ProbeSourceOptions.VERSIONS),
                        conf.get(ProbeSourceOptions.SHUFFLE_HITLIST) ? seed : null);
        return new ScanPlan(
                conf.getOptional(ProbeSourceOptions.SCAN_ID)
                        .orElse("scan-" + Instant.now().toString().replace(':', '-')),
                space,
                seed,
                Math.max(1, conf.get(ProbeSourceOptions.SHARDS)),
                Bytes.parseHex64(conf.get(ProbeSourceOptions.V0_KEY)),
                conf.get(ProbeSourceOptions.STATUS),
                pace,
                origin,
                Safety.of(conf),
                Schedule.of(conf));
    }

    /** True when probes go out in sendmmsg batches. */
    public boolean batchedSend() {
        return origin.batchedSend();
    }

    /** True when scans repeat on a schedule. */
    public boolean scheduled() {
        return schedule.periodMillis() > 0;
    }

    /** The id of the n-th scan (0-based): the plain id for a single scan. */
    public String scanId(int n) {
        return scheduled() ? scanId + "-" + n : scanId;
    }

    /** The permutation seed of the n-th scan. */
    public long seed(int n) {
        return n == 0 ? seed : seed + n * 0x9e3779b97f4a7c15L;
    }

    /** The most probes one shard sends, or -1 for no limit. */
    public long maxProbesPerShard() {
        long max = pace.maxProbes();
        return max < 0 ? -1 : (max + shards - 1) / shards;
    }
}
