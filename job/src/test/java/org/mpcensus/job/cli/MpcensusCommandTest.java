package org.mpcensus.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mpcensus.job.testing.Cli;
import org.mpcensus.probe.testing.SharedData;

class MpcensusCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    static Cli.Run run(String... args) {
        return Cli.run(args);
    }

    /**
     * Values outside an option's range are one line and exit 2 before anything runs: a port that
     * would wrap around (70000 is 4464 on the wire) or is 0, a negative packet count, a weight
     * outside (0, 1], a timeout that overflows, a bucket that is no bucket.
     */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "http-timing --targets T --ports 70000 | mpcensus.probe.ports = 70000 is out of"
                        + " range",
                "http-timing --targets T --ports 0 | mpcensus.probe.ports = 0 is out of range",
                "http-timing --targets T --ports 80 -D mpcensus.http.tls-ports=443;65536 |"
                        + " mpcensus.http.tls-ports = 443,65536 is out of range",
                "traffic --input T --min-packets -1 | mpcensus.traffic.min-packets = -1 is out of"
                        + " range",
                "traffic --input T --ewma-alpha 2 | mpcensus.traffic.ewma-alpha = 2.0 is out of"
                        + " range",
                "traffic --input T --ewma-alpha -0.5 | mpcensus.traffic.ewma-alpha = -0.5 is out"
                        + " of range",
                "traffic --input T --ewma-alpha NaN | mpcensus.traffic.ewma-alpha = NaN is out of"
                        + " range",
                "traffic --input T --idle-timeout 1000000000d | mpcensus.traffic.idle-timeout ="
                        + " 1000000000 d is out of range",
                "traffic --input T -D mpcensus.traffic.bucket=week | mpcensus.traffic.bucket ="
                        + " 'week' is not a valid value",
                "verify --targets T --ports 80 --interface lo --source-ip 127.0.0.1 --gateway-mac"
                        + " zz | mpcensus.probe.gateway-mac = zz is out of range",
                "verify --targets T --ports 80 --interface lo --source-ip 127.0.0.1 -D"
                        + " mpcensus.verify.classes=CANDIDATE,candidate | mpcensus.verify.classes"
                        + " = CANDIDATE,candidate is out of range",
                "verify --targets T --ports 80 --interface lo --source-ip 127.0.0.1 -D"
                        + " mpcensus.http.categories=TRULY_CAPABLE,CANDIDATE,LISTED |"
                        + " mpcensus.http.categories = TRULY_CAPABLE,CANDIDATE,LISTED is out of"
                        + " range"
            })
    void anOptionOutOfItsRangeIsOneLineAndExitTwo(String line, String message) throws Exception {
        Path targets = Files.writeString(dir.resolve("targets.txt"), "198.18.1.1\n");
        List<String> args = new java.util.ArrayList<>();
        for (String a : line.trim().split(" ")) {
            args.add(a.equals("T") ? targets.toString() : a);
        }
        args.addAll(List.of("--sink", "duckdb:" + dir.resolve("x.duckdb")));
        Cli.Run r = run(args.toArray(new String[0]));
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).contains(message.trim());
        assertThat(dir.resolve("x.duckdb")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"traffic", "replay"})
    void anEmptyInputIsOneLineAndExitTwo(String command) {
        Cli.Run r = run(command, "--input", "", "--sink", "duckdb:" + dir.resolve("x.duckdb"));
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines().toList())
                .containsExactly("mpcensus " + command + ": --input '' names no file or directory");
    }

    @Test
    void timedHostsAreListedInAddressOrder() {
        List<String> hosts =
                List.of("2001:db8::1", "198.18.10.1", "198.18.2.1", "198.18.2.10", "10.0.0.1");
        List<String> sorted =
                hosts.stream()
                        .sorted(
                                java.util.Comparator.comparing(
                                        h -> HttpTimingCommand.sortKey(h, 443)))
                        .toList();
        assertThat(sorted)
                .containsExactly(
                        "10.0.0.1", "198.18.2.1", "198.18.2.10", "198.18.10.1", "2001:db8::1");
        assertThat(HttpTimingCommand.sortKey("198.18.2.1", 80))
                .isLessThan(HttpTimingCommand.sortKey("198.18.2.1", 443));
    }

    @Test
    void theRunDirectoryOfAProcessThatEndedGoesWithTheNextRun() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        // A process id that no process has (above the kernel's pid_max), and this process's.
        Path stale =
                Files.createDirectories(
                        tmp.resolve(MpcensusCommand.RUN_DIRECTORY_PREFIX + "99999999-1234"));
        Files.writeString(stale.resolve("flink-rpc.jar"), "x");
        Path live =
                Files.createDirectories(
                        tmp.resolve(
                                MpcensusCommand.RUN_DIRECTORY_PREFIX
                                        + ProcessHandle.current().pid()
                                        + "-5678"));
        Path other = Files.createDirectories(tmp.resolve("mpcensus-run-not-a-pid"));
        MpcensusCommand.removeStaleRunDirectories(tmp);
        assertThat(stale).doesNotExist();
        assertThat(live).exists();
        assertThat(other).exists();
    }

    @ParameterizedTest
    @ValueSource(strings = {"decode", "replay", "synth", "cluster-job"})
    void everySubcommandPrintsHelp(String command) {
        Cli.Run r = run(command, "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Usage: mpcensus " + command);
    }

    @Test
    void decodeReportsTheMalformedOptionAndExitsZero() throws Exception {
        Cli.Run r = run("decode", SharedData.file("tcpdump/mptcp-dss-oobr.pcap").toString());
        assertThat(r.exit()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(1);
        JsonNode n = JSON.readTree(lines.get(0));
        assertThat(n.get("flags").asText()).isEqualTo("S");
        assertThat(n.get("ts").asText()).isEqualTo("2014-11-10T03:32:08.002213Z");
        assertThat(n.get("error").asText()).contains("MALFORMED_MPTCP_OPTION").contains("length 3");
        assertThat(n.has("mp_capable")).isFalse();
    }

    @Test
    void decodePrintsTheMpCapableContract() throws Exception {
        Cli.Run r = run("decode", SharedData.file("ptcpdump/mptcp.pcap").toString());
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(14);
        JsonNode synAck = JSON.readTree(lines.get(1));
        assertThat(synAck.get("src").asText()).isEqualTo("127.0.0.1");
        assertThat(synAck.get("sport").asInt()).isEqualTo(12345);
        assertThat(synAck.get("flags").asText()).isEqualTo("S.");
        assertThat(synAck.get("options").toString())
                .isEqualTo("[\"mss\",\"sackOK\",\"TS\",\"nop\",\"wscale\",\"mptcp\"]");
        JsonNode mp = synAck.get("mp_capable");
        assertThat(mp.get("length").asInt()).isEqualTo(12);
        assertThat(mp.get("version").asInt()).isEqualTo(1);
        assertThat(mp.get("flags").asInt()).isEqualTo(1);
        assertThat(mp.get("sender_key").asText()).isEqualTo("e356a8f252e41976");
        assertThat(mp.get("receiver_key").isNull()).isTrue();
        JsonNode data = JSON.readTree(lines.get(3));
        assertThat(data.get("mp_capable").get("data_len").asInt()).isEqualTo(5);
        assertThat(data.get("mp_capable").get("receiver_key").asText())
                .isEqualTo("e356a8f252e41976");
    }

    @Test
    void decodeOfACorruptFileSaysWhereAndStillExitsZero() throws Exception {
        Path cut = dir.resolve("cut.pcap");
        byte[] whole = Files.readAllBytes(SharedData.file("ptcpdump/mptcp.pcap"));
        Files.write(cut, java.util.Arrays.copyOf(whole, 200));
        Cli.Run r = run("decode", cut.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out().lines().toList())
                .last()
                .asString()
                .contains("\"error\"")
                .contains("file ends inside");
    }

    @Test
    void replayRefusesACsvWithoutTimesBeforeStartingAJob() throws Exception {
        Path csv = dir.resolve("old.csv");
        Files.writeString(csv, "saddr,sport,optionshex,success\n198.51.100.1,443,,1\n");
        Cli.Run r =
                run(
                        "replay",
                        "--input",
                        csv.toString(),
                        "--sink",
                        "duckdb:" + dir.resolve("x.duckdb"));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("give --scan-time");
    }

    @Test
    void aClusterThatDoesNotAnswerIsOneLineAndExitTwoNotAStackTrace() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Cli.Run r =
                run(
                        "replay",
                        "--input",
                        dir.toString(),
                        "--sink",
                        "duckdb:" + dir.resolve("x.duckdb"),
                        "--cluster",
                        "127.0.0.1:" + closed);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines())
                .singleElement()
                .asString()
                .startsWith("mpcensus replay: no Flink cluster answers at 127.0.0.1:" + closed);
    }

    @Test
    void aLongReplayPrintsItsProgressWhileItRunsAndAFinalLineButNoWarning() throws Exception {
        Path csv = dir.resolve("long.csv");
        Path asn = dir.resolve("long.dat");
        assertThat(
                        run(
                                        "synth",
                                        "--out",
                                        csv.toString(),
                                        "--asn-out",
                                        asn.toString(),
                                        "--hosts",
                                        "20000")
                                .exit())
                .isZero();
        Cli.Run r =
                run(
                        "replay",
                        "--input",
                        csv.toString(),
                        "--asn-table",
                        asn.toString(),
                        "--sink",
                        "duckdb:" + dir.resolve("long.duckdb"),
                        "--no-summary",
                        "-D",
                        "mpcensus.status-interval=100ms");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> err = r.err().lines().toList();
        assertThat(err)
                .as("status lines while the replay runs")
                .anyMatch(
                        l ->
                                l.matches(
                                        "mpcensus replay: [0-9]+:[0-9]{2} elapsed, [0-9,]+ rows"
                                                + " \\([0-9,]+/s\\), [0-9,]+ unreadable, [0-9.]+%"
                                                + " of [0-9.]+ MB read.*"));
        assertThat(err.get(err.size() - 1))
                .matches(
                        "mpcensus replay: done in [0-9:]+: [0-9,]+ replies, [0-9,]+ dead letters,"
                                + " [0-9,]+ late replies");
        assertThat(err).noneMatch(l -> l.contains("WARN") || l.contains("Exception"));
    }

    @Test
    void theSummaryHasARowPerMonthVersionAndPortWhoseHostsAreTheSumOfEveryClass() throws Exception {
        Path sample = Path.of("samples/zmap-sample.csv");
        Cli.Run r =
                run(
                        "replay",
                        "--input",
                        sample.toString(),
                        "--asn-table",
                        "samples/sample-asn.dat",
                        "--sink",
                        "duckdb:" + dir.resolve("summary.duckdb"));
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        String header = lines.get(1);
        assertThat(header.split("\\s+"))
                .startsWith("month", "version", "port", "replies", "hosts")
                .contains(
                        java.util.Arrays.stream(org.mpcensus.udf.classify.Classification.values())
                                .map(c -> c.name().toLowerCase(java.util.Locale.ROOT))
                                .toArray(String[]::new));
        java.util.Set<String> months = new java.util.TreeSet<>();
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (String line : lines.subList(2, lines.indexOf(""))) {
            String[] f = line.trim().split("\\s+");
            months.add(f[0]);
            assertThat(keys.add(f[0] + f[1] + f[2]))
                    .as("one row per month, version, port")
                    .isTrue();
            long perClass = 0;
            for (int i = 5; i < f.length; i++) {
                perClass += Long.parseLong(f[i]);
            }
            assertThat(Long.parseLong(f[4])).as(line).isEqualTo(perClass);
        }
        // The months the sample was made for, as its first line says.
        String made = Files.readAllLines(sample).get(0);
        String listed = made.substring(made.indexOf("--months ") + 9).split(" ")[0];
        assertThat(months).containsExactlyInAnyOrder(listed.split(","));
    }

    @Test
    void thePrintedSqlInitScriptHoldsNoPassword() {
        Cli.Run r =
                run(
                        "sql",
                        "--print-init",
                        "--postgres",
                        "jdbc:postgresql://127.0.0.1:5433/census?password=s3cret-in-url",
                        "-D",
                        "mpcensus.sink.password=s3cret-option");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .doesNotContain("s3cret")
                .contains("'password' = '" + SqlCommand.PASSWORD_PLACEHOLDER + "'")
                .startsWith("-- Replace " + SqlCommand.PASSWORD_PLACEHOLDER);
    }

    @Test
    void synthWritesAnArchiveThatStartsWithHowItWasMade() throws Exception {
        Path csv = dir.resolve("s.csv");
        Cli.Run r =
                run(
                        "synth",
                        "--out",
                        csv.toString(),
                        "--hosts",
                        "5",
                        "--months",
                        "2026-01",
                        "--broken-rows",
                        "2");
        assertThat(r.exit()).isZero();
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).startsWith("# Synthetic scan archive").contains("--hosts 5");
        assertThat(lines).anyMatch(l -> l.startsWith("saddr,"));
        assertThat(lines.get(lines.size() - 1)).isEqualTo(SynthCommand.BROKEN_ROWS[1]);
    }

    @Test
    void clusterJobOptionFilesAreFlatKeyValueLinesAndABrokenLineIsNamed() throws Exception {
        Path good =
                java.nio.file.Files.writeString(
                        dir.resolve("scan.conf"),
                        "# comment\n\nmpcensus.probe.rate: 1000\nmpcensus.probe.ports: 80;443\n"
                                + "mpcensus.probe.vantage: \"a b\"\nmpcensus.probe.seed:\n");
        assertThat(ClusterJobCommand.readOptions(good))
                .containsExactly(
                        java.util.Map.entry("mpcensus.probe.rate", "1000"),
                        java.util.Map.entry("mpcensus.probe.ports", "80;443"),
                        java.util.Map.entry("mpcensus.probe.vantage", "a b"),
                        java.util.Map.entry("mpcensus.probe.seed", ""));
        Path bad =
                java.nio.file.Files.writeString(
                        dir.resolve("bad.conf"), "mpcensus.probe.rate: 1\nrate=1000\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ClusterJobCommand.readOptions(bad))
                .hasMessageContaining("bad.conf:2")
                .hasMessageContaining("rate=1000");
    }

    /** Bad command lines a new user types: each is one line on stderr and exit 2. */
    static List<List<String>> badCommandLines(Path dir) throws Exception {
        String sample = org.mpcensus.job.testing.Replays.sample().toString();
        String duck = "duckdb:" + dir.resolve("x.duckdb");
        Path notATable = Files.writeString(dir.resolve("not-a-table.dat"), "hello world\n");
        String table = notATable.toString();
        return List.of(
                List.of("replay", "--input", sample, "--sink", "bogus:x"),
                List.of("replay", "--input", sample, "--sink", "jdbc:postgresql://127.0.0.1:1/x"),
                List.of("replay", "--input", sample, "--sink", "duckdb:/no/such/dir/x.duckdb"),
                List.of("replay", "--input", sample, "--bogus-option"),
                List.of("analyze", "--kafka", "127.0.0.1:1", "--sink", "bogus:x"),
                replay(sample, duck, "--asn-table", table),
                replay(sample, duck, "--country-db", table),
                replay(sample, duck, "--asn-table", "/no/such/file"),
                replay(sample, duck, "--scan-time", "yesterday"),
                replay(sample, duck, "--probe-key", "zz"),
                replay(sample, duck, "--parallelism", "0"),
                replay(sample, duck, "-D", "mpcensus.sink.batch-size=abc"),
                replay(sample, duck, "-D", "mpcensus.sink.batchsize=5"));
    }

    private static List<String> replay(String input, String sink, String option, String value) {
        return List.of("replay", "--input", input, "--sink", sink, option, value);
    }

    @Test
    void everyBadCommandLineIsOneLineAndExitTwoWithoutATableTouched() throws Exception {
        for (List<String> args : badCommandLines(dir)) {
            Cli.Run r = run(args.toArray(new String[0]));
            assertThat(r.exit()).as(args + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().lines()).as(args.toString()).singleElement();
            assertThat(r.err()).as(args.toString()).startsWith("mpcensus ");
            assertThat(r.err().lines())
                    .noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Exception in thread"));
        }
        assertThat(dir.resolve("x.duckdb")).doesNotExist();
        assertThat(run("replay", "--input", "a.csv", "--bogus-option").err())
                .contains("Unknown option: '--bogus-option'");
        assertThat(run("replay", "--input", "x", "-D", "mpcensus.sink.batchsize=5").err())
                .contains("did you mean mpcensus.sink.batch-size?");
    }

    @Test
    void aFailureThatIsNotTheUsersIsOneLineNamingTheLogFileThatHoldsTheTrace() throws Exception {
        Path log = dir.resolve("failure.log");
        System.setProperty(MpcensusCommand.LOG_FILE, log.toString());
        try {
            picocli.CommandLine cl = MpcensusCommand.commandLine();
            cl.addSubcommand("broken", new Broken());
            java.io.StringWriter err = new java.io.StringWriter();
            cl.setErr(new java.io.PrintWriter(err));
            assertThat(cl.execute("broken")).isEqualTo(1);
            assertThat(err.toString().lines())
                    .singleElement()
                    .isEqualTo("mpcensus broken: failed: disk on fire (details in " + log + ")");
            assertThat(Files.readString(log))
                    .contains("IllegalStateException: outer")
                    .contains("Caused by: java.io.IOException: disk on fire")
                    .contains("\tat ");
        } finally {
            System.clearProperty(MpcensusCommand.LOG_FILE);
        }
    }

    @Test
    void decodeOfADirectoryOrACorruptGzipIsAnErrorObjectAndExitZero() throws Exception {
        Path gz =
                Files.write(
                        dir.resolve("x.pcap.gz"), java.util.HexFormat.of().parseHex("1f8b0800"));
        Cli.Run r = run("decode", dir.toString(), gz.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(JSON.readTree(lines.get(0)).get("error").asText())
                .contains("not a capture file");
        assertThat(JSON.readTree(lines.get(1)).get("error").asText()).contains("could not be read");
    }

    /** A command that fails as mpcensus itself might (not a user's mistake). */
    @picocli.CommandLine.Command(name = "broken")
    static final class Broken implements java.util.concurrent.Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException(
                    "outer",
                    new java.io.UncheckedIOException(new java.io.IOException("disk on fire")));
        }
    }

    @Test
    void aLongMessageIsOneLineThatKeepsWhatToDoAtItsEnd() {
        String quoted = "x".repeat(10_000);
        String line =
                MpcensusCommand.oneLine("bad value " + quoted + "; close it there first\nmore");
        assertThat(line).hasSizeLessThanOrEqualTo(905).startsWith("bad value xxx");
        assertThat(line).endsWith("; close it there first").contains(" ... ");
        assertThat(MpcensusCommand.oneLine("short\nsecond")).isEqualTo("short");
    }
}
