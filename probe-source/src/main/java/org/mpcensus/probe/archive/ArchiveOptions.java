package org.mpcensus.probe.archive;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

/** Options of the replay sources: what an archive does not record about the scan that made it. */
public final class ArchiveOptions {

    public static final ConfigOption<String> FORMAT =
            ConfigOptions.key("mpcensus.replay.format")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Archive format: csv (the ZMap fork's CSV), pcap (pcap or pcapng) or jsonl"
                                    + " (mpcensus's own archive). Default: from the file name.");

    public static final ConfigOption<String> SCAN_TIME =
            ConfigOptions.key("mpcensus.replay.scan-time")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Capture time (ISO-8601, e.g. 2021-05-01T00:00:00Z) for CSV rows that have"
                                    + " no timestamp column.");

    public static final ConfigOption<Integer> PROBED_VERSION =
            ConfigOptions.key("mpcensus.replay.probed-version")
                    .intType()
                    .defaultValue(0)
                    .withDescription(
                            "MPTCP version of the probes when the archive does not record them (CSV"
                                    + " without probed_version column, captures without the SYN).");

    public static final ConfigOption<String> PROBE_KEY =
            ConfigOptions.key("mpcensus.replay.probe-key")
                    .stringType()
                    .defaultValue("0c0c0c0c0c0c0c0c")
                    .withDescription(
                            "Static key (16 hex digits) of the v0 probes when the archive does not"
                                    + " record it; the default is the ZMap fork's key.");

    public static final ConfigOption<Integer> PORT =
            ConfigOptions.key("mpcensus.replay.port")
                    .intType()
                    .noDefaultValue()
                    .withDescription("Probed port for CSV archives without a sport column.");

    public static final ConfigOption<String> VANTAGE =
            ConfigOptions.key("mpcensus.replay.vantage")
                    .stringType()
                    .defaultValue("archive")
                    .withDescription("Vantage id recorded on replayed replies.");

    public static final ConfigOption<String> SCAN_ID =
            ConfigOptions.key("mpcensus.replay.scan-id")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Scan id recorded on replayed replies. Default: the file name.");

    public static final ConfigOption<Duration> WATCH =
            ConfigOptions.key("mpcensus.replay.watch")
                    .durationType()
                    .noDefaultValue()
                    .withDescription(
                            "Keep watching the archive directories and replay new files as they"
                                    + " appear, looking this often (e.g. 10 s); the job then runs"
                                    + " until cancelled. Write files elsewhere and rename them in.");

    public static final ConfigOption<Integer> MAX_LINE_BYTES =
            ConfigOptions.key("mpcensus.replay.max-line-bytes")
                    .intType()
                    .defaultValue(64 * 1024)
                    .withDescription(
                            "Longest line of a CSV or JSON Lines archive, in bytes; a longer line"
                                    + " becomes a dead letter holding its start.");

    public static final ConfigOption<MemorySize> SPLIT_BYTES =
            ConfigOptions.key("mpcensus.replay.split-bytes")
                    .memoryType()
                    .defaultValue(MemorySize.ofMebiBytes(64))
                    .withDescription(
                            "Uncompressed CSV and JSON Lines files larger than this are read in"
                                    + " byte ranges of about this size by parallel readers (a"
                                    + " gzip file or a capture is read whole by one); 0 reads"
                                    + " every file whole.");

    private ArchiveOptions() {}
}
