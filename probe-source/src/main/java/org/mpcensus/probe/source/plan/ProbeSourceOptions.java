package org.mpcensus.probe.source.plan;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.mpcensus.probe.source.ProbeSource;

/** Options of the live prober ({@link ProbeSource}). */
public final class ProbeSourceOptions {

    public static final ConfigOption<String> INTERFACE =
            ConfigOptions.key("mpcensus.probe.interface")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Network interface to send probes and capture replies on; auto: the"
                                    + " interface of each TaskManager host's route to the"
                                    + " targets.");

    public static final ConfigOption<String> SOURCE_IPV4 =
            ConfigOptions.key("mpcensus.probe.source-ipv4")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Source address of IPv4 probes (an address of the interface); auto:"
                                    + " the source of each host's route to the targets.");

    public static final ConfigOption<String> SOURCE_IPV6 =
            ConfigOptions.key("mpcensus.probe.source-ipv6")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Source address of IPv6 probes; auto as for IPv4.");

    public static final ConfigOption<String> SENDER =
            ConfigOptions.key("mpcensus.probe.sender")
                    .stringType()
                    .defaultValue("sendmmsg")
                    .withDescription(
                            "How probes reach the wire: sendmmsg (an AF_PACKET socket, up to 64"
                                    + " frames per system call; Linux) or pcap (one pcap_sendpacket"
                                    + " per frame; portable). Capture always uses pcap.");

    public static final ConfigOption<String> GATEWAY_MAC =
            ConfigOptions.key("mpcensus.probe.gateway-mac")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("MAC of the next hop; default: from the neighbour table.");

    public static final ConfigOption<List<String>> TARGETS =
            ConfigOptions.key("mpcensus.probe.targets")
                    .stringType()
                    .asList()
                    .defaultValues()
                    .withDescription(
                            "IPv4 allowlist prefixes to scan. Nothing is probed without targets.");

    public static final ConfigOption<String> TARGETS_FILE =
            ConfigOptions.key("mpcensus.probe.targets-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("File of IPv4 allowlist prefixes, one per line, # comments.");

    public static final ConfigOption<String> HITLIST =
            ConfigOptions.key("mpcensus.probe.hitlist")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("File of addresses (IPv6 or IPv4), one per line, # comments.");

    public static final ConfigOption<Boolean> SHUFFLE_HITLIST =
            ConfigOptions.key("mpcensus.probe.shuffle-hitlist")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription("Shuffle the hitlist with the seed.");

    public static final ConfigOption<List<Integer>> PORTS =
            ConfigOptions.key("mpcensus.probe.ports")
                    .intType()
                    .asList()
                    .defaultValues(80, 443)
                    .withDescription("Ports to probe.");

    public static final ConfigOption<List<Integer>> VERSIONS =
            ConfigOptions.key("mpcensus.probe.versions")
                    .intType()
                    .asList()
                    .defaultValues(0, 1)
                    .withDescription("MPTCP versions to probe (one probe each).");

    public static final ConfigOption<Double> RATE =
            ConfigOptions.key("mpcensus.probe.rate")
                    .doubleType()
                    .defaultValue(10_000.0)
                    .withDescription(
                            "Global send rate in packets per second, shared by all readers.");

    public static final ConfigOption<Long> MAX_TARGETS =
            ConfigOptions.key("mpcensus.probe.max-targets")
                    .longType()
                    .noDefaultValue()
                    .withDescription("Send at most this many probes in the scan.");

    public static final ConfigOption<Duration> DURATION =
            ConfigOptions.key("mpcensus.probe.duration")
                    .durationType()
                    .noDefaultValue()
                    .withDescription("Stop sending after this long.");

    public static final ConfigOption<Duration> COOLDOWN =
            ConfigOptions.key("mpcensus.probe.cooldown")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(8))
                    .withDescription("How long to keep capturing after a split's last probe.");

    public static final ConfigOption<Duration> TIME_SHIFT =
            ConfigOptions.key("mpcensus.probe.time-shift")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription(
                            "Added to every reply's capture time before the census sees it, so a"
                                    + " scan of a testbed can stand for a scan of a later month"
                                    + " (the census's months follow capture times). Real scans"
                                    + " leave it at 0.");

    public static final ConfigOption<Duration> REPLY_WINDOW =
            ConfigOptions.key("mpcensus.probe.reply-window")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription(
                            "How long a reply may take. A checkpoint counts a probe as done only"
                                    + " after this, so a restored scan re-sends the probes whose"
                                    + " replies could have been lost, and skips none.");

    public static final ConfigOption<Duration> SCHEDULE =
            ConfigOptions.key("mpcensus.probe.schedule")
                    .durationType()
                    .noDefaultValue()
                    .withDescription(
                            "Start a new scan of the same targets this often (e.g. 24 h): the"
                                    + " source becomes unbounded. Each scan gets its own id"
                                    + " (<scan-id>-<n>), permutation and secret.");

    public static final ConfigOption<Integer> SCANS =
            ConfigOptions.key("mpcensus.probe.scans")
                    .intType()
                    .noDefaultValue()
                    .withDescription(
                            "With a schedule: stop after this many scans (default: never).");

    public static final ConfigOption<Long> SEED =
            ConfigOptions.key("mpcensus.probe.seed")
                    .longType()
                    .noDefaultValue()
                    .withDescription("Seed of the target permutation (default: random per scan).");

    public static final ConfigOption<Integer> SHARDS =
            ConfigOptions.key("mpcensus.probe.shards")
                    .intType()
                    .defaultValue(16)
                    .withDescription("Splits the scan is cut into.");

    public static final ConfigOption<List<String>> BLOCKLIST =
            ConfigOptions.key("mpcensus.probe.blocklist")
                    .stringType()
                    .asList()
                    .defaultValues()
                    .withDescription(
                            "Blocklist files that REPLACE the built-in IANA special-purpose ranges.");

    public static final ConfigOption<List<String>> EXTRA_BLOCKLIST =
            ConfigOptions.key("mpcensus.probe.extra-blocklist")
                    .stringType()
                    .asList()
                    .defaultValues()
                    .withDescription("Blocklist files added to the built-in or replaced list.");

    public static final ConfigOption<String> OPT_OUT =
            ConfigOptions.key("mpcensus.probe.opt-out")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Opt-out file, re-read while running (within a second).");

    public static final ConfigOption<Integer> SOURCE_PORT_FIRST =
            ConfigOptions.key("mpcensus.probe.source-port-first")
                    .intType()
                    .defaultValue(32768)
                    .withDescription("First source port of probes.");

    public static final ConfigOption<Integer> SOURCE_PORT_COUNT =
            ConfigOptions.key("mpcensus.probe.source-port-count")
                    .intType()
                    .defaultValue(28000)
                    .withDescription("Source ports used; split among the readers.");

    public static final ConfigOption<String> V0_KEY =
            ConfigOptions.key("mpcensus.probe.v0-key")
                    .stringType()
                    .defaultValue("0c0c0c0c0c0c0c0c")
                    .withDescription("Static key of MPTCPv0 probes (16 hex digits).");

    public static final ConfigOption<String> SCAN_ID =
            ConfigOptions.key("mpcensus.probe.scan-id")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Scan id (default: scan-<start time>).");

    public static final ConfigOption<String> VANTAGE =
            ConfigOptions.key("mpcensus.probe.vantage")
                    .stringType()
                    .defaultValue("local")
                    .withDescription("Vantage id recorded on replies.");

    public static final ConfigOption<Boolean> STATUS =
            ConfigOptions.key("mpcensus.probe.status")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription("Print a status line every second on stderr.");

    private ProbeSourceOptions() {}
}
