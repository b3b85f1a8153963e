package org.mpcensus.job.cli;

import static org.mpcensus.job.cli.Flag.list;
import static org.mpcensus.job.cli.Flag.of;
import static org.mpcensus.job.cli.Flag.onOff;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.mpcensus.job.kafka.KafkaOptions;
import org.mpcensus.job.report.ReportOptions;
import org.mpcensus.job.runtime.CensusOptions;
import org.mpcensus.job.sink.SinkOptions;
import org.mpcensus.job.traffic.TrafficOptions;
import org.mpcensus.probe.archive.ArchiveOptions;
import org.mpcensus.probe.http.HttpOptions;
import org.mpcensus.probe.path.PathOptions;
import org.mpcensus.probe.source.plan.ProbeSourceOptions;
import org.mpcensus.udf.enrich.EnrichmentOptions;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every flag that is an option given another way, one table of (flag, {@code ConfigOption}) per
 * command: picocli's option specs and their help (the option's description and default) come from
 * it, and a flag given on the command line wins over the option's {@code -D}. Flags that do more
 * than set one option ({@code --source-ip}, {@code --checkpoints}, {@code --no-flows}, ...) are
 * declared by their commands.
 */
final class Flags {
    private Flags() {}

    /** The census's database and enrichment, of every command that runs the census. */
    static final List<Flag> CENSUS =
            List.of(
                    of("--sink", SinkOptions.URL).label("URL"),
                    of("--asn-table", EnrichmentOptions.ASN_TABLE).label("FILE"),
                    of("--country-db", EnrichmentOptions.COUNTRY_DB).label("FILE"));

    /** Where replies are published or read. */
    static final List<Flag> KAFKA =
            List.of(
                    of("--kafka", KafkaOptions.BOOTSTRAP_SERVERS).label("HOST:PORT[,...]"),
                    of("--topic", KafkaOptions.REPLIES_TOPIC).label("TOPIC"));

    /** What a sender may send to: ports, blocklists, opt-outs. */
    static final List<Flag> SAFETY =
            List.of(
                    list("--ports", ProbeSourceOptions.PORTS).label("PORT"),
                    list("--blocklist", ProbeSourceOptions.BLOCKLIST).label("FILE"),
                    list("--extra-blocklist", ProbeSourceOptions.EXTRA_BLOCKLIST).label("FILE"),
                    of("--opt-out", ProbeSourceOptions.OPT_OUT).label("FILE"));

    /** The link a sender sends on (with {@code --source-ip}, declared by {@link WireArgs}). */
    static final List<Flag> WIRE =
            List.of(
                    of("--interface", ProbeSourceOptions.INTERFACE).label("NAME|auto"),
                    of("--gateway-mac", ProbeSourceOptions.GATEWAY_MAC).label("MAC"),
                    list("--versions", ProbeSourceOptions.VERSIONS).label("0|1"));

    static final List<Flag> PROBE =
            List.of(
                    list("--targets", ProbeSourceOptions.TARGETS).label("CIDR"),
                    of("--targets-file", ProbeSourceOptions.TARGETS_FILE).label("FILE"),
                    of("--hitlist", ProbeSourceOptions.HITLIST).label("FILE"),
                    of("--rate", ProbeSourceOptions.RATE).label("PER_SECOND"),
                    of("--max-targets", ProbeSourceOptions.MAX_TARGETS).label("N"),
                    of("--duration", ProbeSourceOptions.DURATION).label("DURATION"),
                    of("--cooldown", ProbeSourceOptions.COOLDOWN).label("DURATION"),
                    of("--seed", ProbeSourceOptions.SEED).label("N"),
                    of("--schedule", ProbeSourceOptions.SCHEDULE).label("DURATION"),
                    of("--scans", ProbeSourceOptions.SCANS).label("N"),
                    of("--archive", CensusOptions.ARCHIVE).label("FILE"),
                    onOff("--verify-paths", PathOptions.ENABLED),
                    of("--verify-rate", PathOptions.RATE).label("PER_SECOND"),
                    onOff("--http-timing", HttpOptions.ENABLED));

    static final List<Flag> REPLAY =
            List.of(
                    of("--format", ArchiveOptions.FORMAT).label("csv|pcap|jsonl"),
                    of("--watch", ArchiveOptions.WATCH).label("DURATION"),
                    of("--as-names", EnrichmentOptions.AS_NAMES).label("FILE"),
                    of("--emit-replies", CensusOptions.EMIT_REPLIES).label("FILE"),
                    of("--scan-time", ArchiveOptions.SCAN_TIME).label("ISO-8601"),
                    of("--probed-version", ArchiveOptions.PROBED_VERSION).label("0|1"),
                    of("--probe-key", ArchiveOptions.PROBE_KEY).label("HEX"),
                    of("--port", ArchiveOptions.PORT).label("PORT"),
                    of("--vantage", ArchiveOptions.VANTAGE).label("ID"),
                    of("--scan-id", ArchiveOptions.SCAN_ID).label("ID"),
                    onOff("--reapply", SinkOptions.REAPPLY));

    static final List<Flag> VERIFY =
            List.of(
                    of("--rate", PathOptions.RATE).label("PER_SECOND"),
                    of("--max-ttl", PathOptions.MAX_TTL).label("TTL"),
                    of("--hop-timeout", PathOptions.HOP_TIMEOUT).label("DURATION"),
                    of("--silent-hops", PathOptions.SILENT_HOPS).label("N"));

    static final List<Flag> HTTP_TIMING =
            List.of(
                    of("--runs", HttpOptions.RUNS).label("N"),
                    of("--period", HttpOptions.PERIOD).label("DURATION"),
                    of("--timeout", HttpOptions.TIMEOUT).label("DURATION"),
                    of("--rate", HttpOptions.RATE).label("PER_SECOND"),
                    of("--concurrency", HttpOptions.CONCURRENCY).label("N"),
                    of("--max-bytes", HttpOptions.MAX_BYTES).label("BYTES"),
                    list("--tls-ports", HttpOptions.TLS_PORTS).label("PORT"),
                    of("--path", HttpOptions.PATH).label("PATH"));

    static final List<Flag> TRAFFIC =
            List.of(
                    of("--idle-timeout", TrafficOptions.IDLE_TIMEOUT).label("DURATION"),
                    of("--min-packets", TrafficOptions.MIN_PACKETS).label("N"),
                    of("--ewma-alpha", TrafficOptions.EWMA_ALPHA).label("WEIGHT"),
                    of("--bucket", TrafficOptions.BUCKET).label("day|capture"));

    static final List<Flag> ANALYZE =
            List.of(
                    of("--table-topics", KafkaOptions.TABLE_TOPIC_PREFIX).label("PREFIX"),
                    onOff("--until-latest", KafkaOptions.BOUNDED));

    static final List<Flag> SQL =
            List.of(
                    of("--table-topics", KafkaOptions.TABLE_TOPIC_PREFIX).label("PREFIX"),
                    of("--postgres", SinkOptions.URL).label("URL"),
                    of("--asn-table", EnrichmentOptions.ASN_TABLE).label("FILE"),
                    of("--country-db", EnrichmentOptions.COUNTRY_DB).label("FILE"),
                    of("--as-names", EnrichmentOptions.AS_NAMES).label("FILE"));

    static final List<Flag> REPORT =
            List.of(
                    of("--sink", SinkOptions.URL).label("URL"),
                    of("--out", ReportOptions.OUT).label("DIR"),
                    of("--months", ReportOptions.MONTHS).label("FROM..TO"),
                    of("--as-names", EnrichmentOptions.AS_NAMES).label("FILE"),
                    of("--as-rank", ReportOptions.AS_RANK).label("FILE"),
                    of("--peeringdb", ReportOptions.PEERINGDB).label("FILE"));

    /** The flags of each command. */
    static final Map<String, List<Flag>> BY_COMMAND =
            Map.of(
                    "probe", concat(CENSUS, KAFKA, WIRE, SAFETY, PROBE),
                    "replay", concat(CENSUS, KAFKA, REPLAY),
                    "verify", concat(CENSUS, WIRE, SAFETY, VERIFY),
                    "http-timing", concat(CENSUS, SAFETY, HTTP_TIMING),
                    "traffic", concat(CENSUS, TRAFFIC),
                    "analyze", concat(CENSUS, KAFKA, ANALYZE),
                    "sql", concat(KAFKA, SQL),
                    "report", REPORT);

    @SafeVarargs
    private static List<Flag> concat(List<Flag>... parts) {
        List<Flag> all = new ArrayList<>();
        for (List<Flag> p : parts) {
            all.addAll(p);
        }
        return List.copyOf(all);
    }

    /** Declares every command's flags on a command line. */
    static void declare(CommandLine root) {
        BY_COMMAND.forEach(
                (command, flags) -> {
                    CommandSpec spec = root.getSubcommands().get(command).getCommandSpec();
                    flags.forEach(f -> spec.addOption(f.spec()));
                });
    }

    /** Sets the options of the flags the command line gave, over their {@code -D} values. */
    static void apply(CommandSpec command, Configuration conf) {
        for (Flag f : BY_COMMAND.get(command.name())) {
            f.apply(command, conf);
        }
    }

    /** Whether the command line gave a flag. */
    static boolean given(CommandSpec command, String flag) {
        return command.findOption(flag).getValue() != null;
    }
}
