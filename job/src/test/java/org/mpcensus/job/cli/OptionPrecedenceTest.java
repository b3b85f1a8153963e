package org.mpcensus.job.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mpcensus.job.kafka.KafkaOptions;
import org.mpcensus.job.runtime.CensusOptions;
import org.mpcensus.job.sink.SinkOptions;
import org.mpcensus.probe.archive.ArchiveOptions;
import org.mpcensus.probe.http.HttpOptions;
import org.mpcensus.probe.path.PathOptions;
import org.mpcensus.probe.source.plan.ProbeSourceOptions;
import org.mpcensus.udf.enrich.EnrichmentOptions;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every command-line option that has a {@code -D} key has one default: given neither way, the
 * option has the default of its {@code ConfigOption} (or the command's, named here); given by
 * {@code -D}, the -D value; given as a flag too, the flag's value. Every option of the census
 * commands is listed here or named as one without a key, so a new flag cannot skip the rule.
 */
class OptionPrecedenceTest {

    /**
     * One option: the flag and its value, the {@code -D} value, and (when the command has its own
     * default) that default in the option's text form; {@code flagValue} in the option's text form.
     */
    record Case(
            String flag,
            String flagText,
            ConfigOption<?> option,
            String flagValue,
            String dValue,
            String commandDefault) {
        @Override
        public String toString() {
            return flag + " / -D " + option.key();
        }
    }

    private static Case of(String flag, String text, ConfigOption<?> option, String d) {
        return new Case(flag, text, option, text, d, null);
    }

    /** The census options every census command has. */
    private static final List<Case> CENSUS =
            List.of(
                    of("--sink", "duckdb:/flag.duckdb", SinkOptions.URL, "duckdb:/d.duckdb"),
                    of("--asn-table", "/flag.dat", EnrichmentOptions.ASN_TABLE, "/d.dat"),
                    of("--country-db", "/flag.mmdb", EnrichmentOptions.COUNTRY_DB, "/d.mmdb"),
                    new Case("--parallelism", "3", CoreOptions.DEFAULT_PARALLELISM, "3", "5", "2"),
                    of("--kafka", "flag:9092", KafkaOptions.BOOTSTRAP_SERVERS, "d:9092"),
                    of("--topic", "flag-topic", KafkaOptions.REPLIES_TOPIC, "d-topic"),
                    new Case(
                            "--checkpoint-interval",
                            "3 s",
                            CheckpointingOptions.CHECKPOINTING_INTERVAL,
                            "3 s",
                            "7 s",
                            "10 s"));

    private static final Map<String, List<Case>> COMMANDS =
            Map.of(
                    "probe",
                    concat(
                            of("--interface", "veth-flag", ProbeSourceOptions.INTERFACE, "veth-d"),
                            of(
                                    "--source-ip",
                                    "198.18.0.7",
                                    ProbeSourceOptions.SOURCE_IPV4,
                                    "198.18.0.9"),
                            of(
                                    "--gateway-mac",
                                    "02:00:00:00:00:01",
                                    ProbeSourceOptions.GATEWAY_MAC,
                                    "02:00:00:00:00:02"),
                            new Case(
                                    "--targets",
                                    "198.18.1.0/24,198.18.2.0/24",
                                    ProbeSourceOptions.TARGETS,
                                    "198.18.1.0/24;198.18.2.0/24",
                                    "198.18.3.0/24",
                                    null),
                            of(
                                    "--targets-file",
                                    "/flag.txt",
                                    ProbeSourceOptions.TARGETS_FILE,
                                    "/d"),
                            of("--hitlist", "/flag-hits.txt", ProbeSourceOptions.HITLIST, "/d"),
                            new Case(
                                    "--ports",
                                    "81,82",
                                    ProbeSourceOptions.PORTS,
                                    "81;82",
                                    "83",
                                    null),
                            new Case(
                                    "--versions", "1", ProbeSourceOptions.VERSIONS, "1", "0", null),
                            of("--rate", "123.0", ProbeSourceOptions.RATE, "456.0"),
                            of("--max-targets", "10", ProbeSourceOptions.MAX_TARGETS, "20"),
                            of("--duration", "1 min", ProbeSourceOptions.DURATION, "2 min"),
                            of("--cooldown", "3 s", ProbeSourceOptions.COOLDOWN, "4 s"),
                            of("--schedule", "24 h", ProbeSourceOptions.SCHEDULE, "12 h"),
                            of("--scans", "3", ProbeSourceOptions.SCANS, "4"),
                            of("--seed", "11", ProbeSourceOptions.SEED, "12"),
                            of("--blocklist", "/flag-block", ProbeSourceOptions.BLOCKLIST, "/d"),
                            of(
                                    "--extra-blocklist",
                                    "/flag-extra",
                                    ProbeSourceOptions.EXTRA_BLOCKLIST,
                                    "/d"),
                            of("--opt-out", "/flag-opt-out", ProbeSourceOptions.OPT_OUT, "/d"),
                            of("--archive", "/flag.jsonl", CensusOptions.ARCHIVE, "/d.jsonl"),
                            new Case(
                                    "--verify-paths",
                                    null,
                                    PathOptions.ENABLED,
                                    "true",
                                    "false",
                                    null),
                            of("--verify-rate", "77.0", PathOptions.RATE, "88.0"),
                            new Case(
                                    "--http-timing",
                                    null,
                                    HttpOptions.ENABLED,
                                    "true",
                                    "false",
                                    null)),
                    "replay",
                    concat(
                            of("--format", "zmap-csv", ArchiveOptions.FORMAT, "jsonl"),
                            of("--watch", "5 s", ArchiveOptions.WATCH, "9 s"),
                            of("--as-names", "/flag.json", EnrichmentOptions.AS_NAMES, "/d.json"),
                            of("--emit-replies", "/flag.jsonl", CensusOptions.EMIT_REPLIES, "/d"),
                            of(
                                    "--scan-time",
                                    "2026-08-01T00:00:00Z",
                                    ArchiveOptions.SCAN_TIME,
                                    "2026-09-01T00:00:00Z"),
                            of("--probed-version", "1", ArchiveOptions.PROBED_VERSION, "0"),
                            of(
                                    "--probe-key",
                                    "0102030405060708",
                                    ArchiveOptions.PROBE_KEY,
                                    "1112131415161718"),
                            of("--port", "8443", ArchiveOptions.PORT, "8080"),
                            of("--vantage", "flag-vp", ArchiveOptions.VANTAGE, "d-vp"),
                            of("--scan-id", "flag-scan", ArchiveOptions.SCAN_ID, "d-scan"),
                            new Case(
                                    "--reapply", null, SinkOptions.REAPPLY, "true", "false", null)),
                    "analyze",
                    concat(
                            of("--table-topics", "flag.", KafkaOptions.TABLE_TOPIC_PREFIX, "d."),
                            new Case(
                                    "--until-latest",
                                    null,
                                    KafkaOptions.BOUNDED,
                                    "true",
                                    "false",
                                    null)));

    /** Options without a {@code -D} key of their own. */
    private static final Set<String> WITHOUT_KEY =
            Set.of(
                    "-D",
                    "--help",
                    "--version",
                    "--cluster",
                    "--checkpoints",
                    "--resume",
                    "--input",
                    "--no-summary");

    /** What a command needs to parse at all, as -D (a case of the same key replaces it). */
    private static final Map<String, Map<String, String>> REQUIRED =
            Map.of(
                    "probe",
                    Map.of(
                            ProbeSourceOptions.INTERFACE.key(), "veth-base",
                            ProbeSourceOptions.SOURCE_IPV4.key(), "198.18.0.1",
                            ProbeSourceOptions.RATE.key(), "5.0"),
                    "replay",
                    Map.of(),
                    "analyze",
                    Map.of());

    private static List<Case> concat(Case... own) {
        List<Case> out = new ArrayList<>(CENSUS);
        out.addAll(Arrays.asList(own));
        return out;
    }

    static Stream<Arguments> cases() {
        return COMMANDS.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(c -> Arguments.of(e.getKey(), c)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void minusDWinsOverTheDefaultAndLosesToTheFlag(String command, Case c) {
        boolean required = REQUIRED.get(command).containsKey(c.option().key());
        if (required) {
            assertThatThrownBy(() -> configuration(command, c, false, false))
                    .isInstanceOf(UserError.class)
                    .hasMessageContaining(c.flag());
        } else {
            Object expected =
                    c.commandDefault() != null
                            ? typed(c.option(), c.commandDefault())
                            : new Configuration().getOptional(c.option()).orElse(null);
            assertThat(configuration(command, c, false, false).getOptional(c.option()).orElse(null))
                    .as("neither given: the default")
                    .isEqualTo(expected);
        }
        assertThat(configuration(command, c, true, false).get(c.option()))
                .as("-D given: the -D value")
                .isEqualTo(typed(c.option(), c.dValue()));
        assertThat(configuration(command, c, true, true).get(c.option()))
                .as("-D and the flag given: the flag's value")
                .isEqualTo(typed(c.option(), c.flagValue()));
        assertThat(configuration(command, c, false, true).get(c.option()))
                .as("the flag given: its value")
                .isEqualTo(typed(c.option(), c.flagValue()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"probe", "replay", "analyze"})
    void everyOptionOfTheCommandIsCovered(String command) {
        CommandLine cl = MpcensusCommand.commandLine().getSubcommands().get(command);
        Set<String> flags = new TreeSet<>();
        for (OptionSpec o : cl.getCommandSpec().options()) {
            if (!WITHOUT_KEY.contains(o.longestName())) {
                flags.add(o.longestName());
            }
        }
        assertThat(COMMANDS.get(command).stream().map(Case::flag).toList())
                .containsExactlyInAnyOrderElementsOf(flags);
    }

    @Test
    void aProbeWithoutARateIsAUserErrorNamingTheFlag() {
        assertThatThrownBy(
                        () ->
                                configure(
                                        "probe",
                                        "--interface",
                                        "lo",
                                        "--source-ip",
                                        "198.18.0.1",
                                        "--targets",
                                        "198.18.0.0/24"))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("--rate");
    }

    private static Object typed(ConfigOption<?> option, String text) {
        return Configuration.fromMap(Map.of(option.key(), text)).get(option);
    }

    private static Configuration configuration(
            String command, Case c, boolean minusD, boolean flag) {
        List<String> args = new ArrayList<>(List.of(command));
        if (command.equals("replay")) {
            args.addAll(List.of("--input", "/archive.csv"));
        }
        for (var e : REQUIRED.get(command).entrySet()) {
            if (!e.getKey().equals(c.option().key())) {
                args.addAll(List.of("-D", e.getKey() + "=" + e.getValue()));
            }
        }
        if (minusD) {
            args.addAll(List.of("-D", c.option().key() + "=" + c.dValue()));
        }
        if (flag) {
            args.add(c.flag());
            if (c.flagText() != null) {
                args.add(c.flagText());
            }
        }
        return configure(args.toArray(String[]::new));
    }

    /** Parses a command line and builds its command's configuration, without running it. */
    private static Configuration configure(String... args) {
        CommandLine cl = MpcensusCommand.commandLine();
        CommandLine.ParseResult parsed = cl.parseArgs(args);
        Object command = parsed.subcommand().commandSpec().userObject();
        Configuration conf;
        CheckpointArgs checkpoints;
        if (command instanceof ProbeCommand p) {
            conf = p.configuration();
            checkpoints = p.checkpoints;
        } else if (command instanceof ReplayCommand r) {
            conf = r.configuration();
            checkpoints = r.checkpoints;
        } else if (command instanceof AnalyzeCommand a) {
            conf = a.configuration();
            checkpoints = a.checkpoints;
        } else {
            throw new IllegalArgumentException(args[0]);
        }
        // As a run that checkpoints: the interval applies.
        checkpoints.apply(conf, true, false);
        return conf;
    }
}
