package org.mpcensus.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.job.testing.Cli;
import org.mpcensus.job.testing.KafkaBroker;
import org.mpcensus.job.testing.Replays;
import org.mpcensus.probe.source.plan.ProbeSourceOptions;
import org.mpcensus.probe.testing.SharedData;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNetworkInterface;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A property over the whole command line: every command, with random values for its flags and for
 * random {@code -D mpcensus.*} keys, and random files (missing, empty, a directory, a FIFO, a loop
 * of symbolic links, a link to nothing, binary bytes, a 10 MB line, or a file of the right kind)
 * ends with exit 0; or one line and exit 2; or one line "failed: ..." and exit 1. Never a stack
 * trace on either stream, never a hang, never a file left in the working directory, and never a SYN
 * to an address or port the command was not given: a capture on the loopback interface (the only
 * one the commands are let near: targets are loopback addresses, {@code --interface lo}) sees every
 * SYN, and the ones with {@code MP_CAPABLE} (the prober's, kernel MPTCP's) and the plain ones to
 * ports outside the local port range (where Flink's own endpoints are) must go to a listed target
 * and an asked port.
 *
 * <p>A few values are never drawn, so that a try ends and stays on this machine: continuous jobs
 * ({@code --schedule}, {@code --watch}, {@code analyze} without {@code --until-latest}), waits of
 * days (long periods, cooldowns), interfaces and source addresses other than loopback's, and
 * targets other than loopback addresses (with an empty blocklist in sane tries, so that they are
 * probed); {@code sql} prints the SQL client's script instead of starting the client (a program of
 * its own, which {@code SqlClientITCase} drives). {@code MPCENSUS_PROPERTY_SEED} (default 7) and
 * {@code MPCENSUS_PROPERTY_TRIES} replay a failure or run longer.
 */
class CommandPropertyITCase {
    private static final List<String> COMMANDS =
            List.of(
                    "replay",
                    "traffic",
                    "verify",
                    "http-timing",
                    "report",
                    "analyze",
                    "probe",
                    "decode",
                    "synth",
                    "sql");

    /** Flags never drawn: a continuous job, or where a try sends (forced to loopback). */
    private static final Set<String> NEVER =
            Set.of(
                    "--schedule",
                    "--scans",
                    "--watch",
                    "--cluster",
                    "--interface",
                    "--source-ip",
                    "--gateway-mac",
                    "--help",
                    "--version",
                    "-h",
                    "-V");

    /** -D keys never drawn, for the same reasons. */
    private static final Set<String> NEVER_KEYS =
            Set.of(
                    "mpcensus.probe.schedule",
                    "mpcensus.probe.scans",
                    "mpcensus.replay.watch",
                    "mpcensus.kafka.bounded",
                    "mpcensus.probe.interface",
                    "mpcensus.probe.source-ipv4",
                    "mpcensus.probe.source-ipv6",
                    "mpcensus.probe.gateway-mac",
                    "mpcensus.probe.targets",
                    "mpcensus.probe.sender");

    /** Flags a sane try leaves out: values of their own kind that a draw does not make. */
    private static final Set<String> NOT_IN_SANE_TRIES =
            Set.of(
                    "--resume",
                    "--as-names",
                    "--as-rank",
                    "--peeringdb",
                    "--country-db",
                    "--table-topics",
                    "--format",
                    "--probe-key",
                    "--scan-id",
                    "--path");

    /** Flags and keys whose value is a file to read. */
    private static final Set<String> INPUTS =
            Set.of(
                    "--input",
                    "--targets",
                    "--targets-file",
                    "--hitlist",
                    "--blocklist",
                    "--extra-blocklist",
                    "--opt-out",
                    "--asn-table",
                    "--country-db",
                    "--as-names",
                    "--as-rank",
                    "--peeringdb",
                    "--file");

    /** Flags whose value is a file or directory to write. */
    private static final Set<String> OUTPUTS =
            Set.of("--out", "--asn-out", "--archive", "--emit-replies", "--checkpoints");

    @TempDir static Path shared;
    private static KafkaBroker kafka;

    /** A census of the sample archive, which report tries read (a copy each). */
    private static Path census;

    private static Path hugeLine;
    private static Path binary;
    private static PcapHandle capture;
    private static Thread capturing;
    private static final ConcurrentLinkedQueue<Syn> syns = new ConcurrentLinkedQueue<>();
    private static int localPortsFrom;
    private static volatile long frames;
    private static volatile Exception captureFailure;

    /** A SYN seen on the loopback interface. */
    record Syn(String destination, int port, boolean mptcp) {}

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.start();
        census = shared.resolve("census.duckdb");
        Cli.Run made = Cli.run(Replays.sampleReplay("duckdb:" + census).toArray(new String[0]));
        assertThat(made.exit()).as(made.err()).isZero();
        // The replies topic, which analyze tries read.
        Cli.Run published =
                Cli.run(
                        "replay",
                        "--input",
                        Replays.sample().toString(),
                        "--kafka",
                        kafka.bootstrap(),
                        "--checkpoint-interval",
                        "1 s");
        assertThat(published.exit()).as(published.err()).isZero();
        hugeLine = shared.resolve("huge-line");
        Files.writeString(hugeLine, "7".repeat(10 << 20));
        binary = shared.resolve("binary");
        byte[] bytes = new byte[8192];
        new Random(3).nextBytes(bytes);
        Files.write(binary, bytes);
        localPortsFrom =
                Integer.parseInt(
                        Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                                .trim()
                                .split("\\s+")[0]);
        // Immediate mode: libpcap's TPACKET_V3 otherwise hands frames over in blocks, late.
        capture =
                new PcapHandle.Builder("lo")
                        .snaplen(256)
                        .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                        .timeoutMillis(10)
                        .immediateMode(true)
                        .bufferSize(32 << 20)
                        .build();
        capture.setFilter("tcp", org.pcap4j.core.BpfProgram.BpfCompileMode.OPTIMIZE);
        capturing =
                new Thread(
                        () -> {
                            while (capture.isOpen()) {
                                try {
                                    byte[] frame = capture.getNextRawPacket();
                                    if (frame != null) {
                                        frames++;
                                    }
                                    Syn s = frame == null ? null : syn(frame);
                                    if (s != null) {
                                        syns.add(s);
                                    }
                                } catch (Exception e) {
                                    captureFailure = e;
                                    return;
                                }
                            }
                        },
                        "loopback-capture");
        capturing.setDaemon(true);
        capturing.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (capture != null) {
            capture.breakLoop();
            capture.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyCommandWithRandomFlagsKeysAndFilesEndsInOneOfThreeWaysAndSendsOnlyWhereAsked()
            throws Exception {
        long seed = Long.parseLong(System.getenv().getOrDefault("MPCENSUS_PROPERTY_SEED", "7"));
        int tries = Integer.parseInt(System.getenv().getOrDefault("MPCENSUS_PROPERTY_TRIES", "8"));
        Map<String, ConfigOption<?>> keys = Preflight.options();
        Path workingDirectory = Path.of("").toAbsolutePath();
        Set<String> before = entries(workingDirectory);
        ExecutorService runner = Executors.newSingleThreadExecutor();
        Map<String, Integer> exits = new java.util.TreeMap<>();
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream(new byte[0]));
        try {
            for (String command : COMMANDS) {
                for (int t = 0; t < tries; t++) {
                    // Mixed: java.util.Random's first draws of nearby seeds are alike.
                    Random random =
                            new Random(
                                    new java.util.SplittableRandom(
                                                    seed * 1_000
                                                            + COMMANDS.indexOf(command) * 97
                                                            + t)
                                            .nextLong());
                    Path dir = Files.createTempDirectory(shared, command + "-" + t + "-");
                    Draw draw = new Draw(random, dir);
                    List<String> args = draw.commandLine(command, keys);
                    String what =
                            (draw.sane ? "sane " : "")
                                    + "seed "
                                    + seed
                                    + ", try "
                                    + t
                                    + ": mpcensus "
                                    + String.join(" ", abbreviated(args));
                    Thread.sleep(50);
                    syns.clear();
                    Future<Cli.Run> f = runner.submit(() -> Cli.run(args.toArray(new String[0])));
                    Cli.Run r;
                    try {
                        r = f.get(240, TimeUnit.SECONDS);
                    } catch (TimeoutException e) {
                        throw new AssertionError("did not end in 240 s: " + what);
                    }
                    Thread.sleep(100);
                    outcome(what, command, r);
                    sends(what, r, draw);
                    assertThat(entries(workingDirectory))
                            .as(what + ": nothing new in the working directory")
                            .isEqualTo(before);
                    exits.merge(command + " exit " + r.exit(), 1, Integer::sum);
                    System.out.println(
                            "exit " + r.exit() + " " + what + " | " + firstLine(r.err()));
                }
            }
            System.out.println(
                    "outcomes: "
                            + exits
                            + "; SYNs checked: "
                            + checked
                            + " of "
                            + frames
                            + " frames captured"
                            + (captureFailure == null
                                    ? ""
                                    : "; capture failed: " + captureFailure));
        } finally {
            System.setIn(stdin);
            runner.shutdownNow();
        }
    }

    private static void outcome(String what, String command, Cli.Run r) {
        String err = r.err();
        List<String> lines = err.lines().toList();
        assertThat(err + r.out())
                .as(what + "\n" + err)
                .doesNotContain("\tat ")
                .doesNotContain("Exception in thread");
        assertThat(lines)
                .as(what + ": a line of the terminal is not a dump")
                .allMatch(l -> l.length() <= 1_000);
        switch (r.exit()) {
            case 0 -> {}
            case 2 -> {
                assertThat(lines).as(what + "\n" + err).hasSize(1);
                assertThat(lines.get(0)).as(what).startsWith("mpcensus ");
            }
            case 1 -> {
                assertThat(lines).as(what + "\n" + err).hasSize(1);
                assertThat(lines.get(0)).as(what).startsWith("mpcensus " + command + ": failed: ");
            }
            default -> throw new AssertionError("exit " + r.exit() + ": " + what + "\n" + err);
        }
    }

    /** SYNs the property checked (with MP_CAPABLE, or plain to a port below the local range). */
    private static int checked;

    private static void sends(String what, Cli.Run r, Draw draw) {
        for (Syn s : new ArrayList<>(syns)) {
            if (!s.mptcp() && s.port() >= localPortsFrom) {
                continue;
            }
            checked++;
            assertThat(r.exit()).as("a refused command sent " + s + ": " + what).isNotEqualTo(2);
            assertThat(draw.targets).as("a SYN to " + s + ": " + what).contains(s.destination());
            assertThat(draw.ports()).as("a SYN to " + s + ": " + what).contains(s.port());
        }
    }

    private static Set<String> entries(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
        }
    }

    private static String firstLine(String s) {
        String l = s.lines().findFirst().orElse("");
        return l.length() > 200 ? l.substring(0, 200) : l;
    }

    /** The arguments with long values cut, for messages. */
    private static List<String> abbreviated(List<String> args) {
        List<String> out = new ArrayList<>();
        for (String a : args) {
            out.add(a.length() > 80 ? a.substring(0, 80) + "..." : a);
        }
        return out;
    }

    /** One try's random command line and the files it names. */
    static final class Draw {
        final Random random;
        final Path dir;

        /** The targets any list of this try holds (loopback addresses). */
        final Set<String> targets = new LinkedHashSet<>();

        /** The ports asked for, by flag or key; empty: the defaults. */
        final Set<Integer> asked = new LinkedHashSet<>();

        int files;

        /**
         * Whether this try draws values that parse (files of the right kind for the flags a command
         * needs, few other flags): tries that get past the checks into a job.
         */
        final boolean sane;

        String command;

        Draw(Random random, Path dir) {
            this.random = random;
            this.dir = dir;
            this.sane = random.nextBoolean();
        }

        Set<Integer> ports() {
            Set<Integer> out = new LinkedHashSet<>(asked);
            if (out.isEmpty()) {
                out.addAll(ProbeSourceOptions.PORTS.defaultValue());
            }
            return out;
        }

        List<String> commandLine(String command, Map<String, ConfigOption<?>> keys)
                throws Exception {
            this.command = command;
            CommandLine cl = MpcensusCommand.commandLine().getSubcommands().get(command);
            if (sane && command.equals("report")) {
                // The census a sane report reads.
                Files.copy(census, dir.resolve("census.duckdb"));
            }
            List<String> args = new ArrayList<>(List.of(command));
            for (OptionSpec o : cl.getCommandSpec().options()) {
                String name = o.longestName();
                if (NEVER.contains(name)
                        || name.equals("-D")
                        || (sane && !o.required() && NOT_IN_SANE_TRIES.contains(name))) {
                    continue;
                }
                boolean include = o.required() || random.nextInt(100) < (sane ? 12 : 35);
                if (!include) {
                    continue;
                }
                if (o.arity().max() == 0) {
                    args.add(name);
                    continue;
                }
                args.add(name);
                args.add(
                        command.equals("probe") && name.equals("--targets")
                                ? prefixes()
                                : value(name, o.type()));
            }
            for (CommandLine.Model.PositionalParamSpec p :
                    cl.getCommandSpec().positionalParameters()) {
                int n = 1 + random.nextInt(2);
                for (int i = 0; i < n; i++) {
                    args.add(input("--input"));
                }
            }
            if (cl.getCommandSpec().findOption("--interface") != null) {
                args.addAll(List.of("--interface", "lo", "--source-ip", "127.0.0.1"));
            }
            if (sane) {
                // What a command needs to get to its work.
                switch (command) {
                    case "analyze" -> addIfAbsent(args, "--kafka", kafka.bootstrap());
                    case "probe" -> {
                        addIfAbsent(args, "--rate", "1000");
                        if (!args.contains("--hitlist") && !args.contains("--targets-file")) {
                            addIfAbsent(args, "--targets", prefixes());
                        }
                    }
                    case "report" ->
                            addIfAbsent(args, "--sink", "duckdb:" + dir.resolve("census.duckdb"));
                    default -> {}
                }
                if (cl.getCommandSpec().findOption("--blocklist") != null
                        && !args.contains("--blocklist")) {
                    // The default blocklist holds loopback: with this one, the command sends.
                    args.add("--blocklist");
                    args.add(
                            Files.writeString(dir.resolve("nothing-blocked"), "# nothing\n")
                                    .toString());
                }
            }
            if (command.equals("report") && !args.contains("--out")) {
                // The default report is ./mpcensus-report: not in the directory tests run in.
                args.addAll(List.of("--out", dir.resolve("report").toString()));
            }
            if (cl.getCommandSpec().findOption("--sink") != null && !args.contains("--sink")) {
                // The default census is ./mpcensus.duckdb: not in the directory tests run in.
                args.addAll(List.of("--sink", "duckdb:" + dir.resolve("census.duckdb")));
            }
            if (command.equals("analyze") && !args.contains("--until-latest")) {
                args.add("--until-latest");
            }
            if (command.equals("sql")) {
                // The SQL client is a program of its own (SqlClientITCase drives it): here the
                // command's checks and the script it would start it with.
                args.add("--print-init");
            }
            if (cl.getCommandSpec().findOption("-D") != null) {
                List<String> names = new ArrayList<>(keys.keySet());
                names.removeAll(NEVER_KEYS);
                for (int i = random.nextInt(sane ? 2 : 3); i > 0; i--) {
                    String key = names.get(random.nextInt(names.size()));
                    args.add("-D");
                    args.add(key + "=" + keyValue(key, keys.get(key)));
                }
            }
            return args;
        }

        private String value(String name, Class<?> type) throws Exception {
            if (INPUTS.contains(name)) {
                return input(name);
            }
            if (OUTPUTS.contains(name)) {
                return output();
            }
            return switch (name) {
                case "--sink", "--postgres" -> sink();
                case "--kafka" -> pick(1, kafka.bootstrap(), "", "x y");
                case "--ports", "--tls-ports", "--port" -> ports(name);
                case "--versions", "--probed-version" -> pick(3, "0", "1", "0,1", "2", "-1", "x");
                case "--format" -> pick(3, "zmap-csv", "pcap", "jsonl", "x", "");
                case "--bucket" -> pick(2, "day", "capture", "hour", "week", "");
                case "--months" ->
                        command.equals("report")
                                ? pick(2, "2026-08..2026-10", "2026-09", "2026-13", "x", "")
                                : pick(2, "2026-08", "2026-08,2026-09", "2026-13", "x", "");
                case "--scan-time" ->
                        pick(1, "2026-08-01T00:00:00Z", "yesterday", "", "1970-01-01");
                case "--topic" -> pick(1, "mpcensus.replies", "x", "");
                case "--probe-key", "--vantage", "--scan-id", "--path" -> text();
                case "--runs",
                        "--hosts",
                        "--parallelism",
                        "--concurrency",
                        "--max-ttl",
                        "--silent-hops",
                        "--min-packets",
                        "--max-targets",
                        "--broken-rows" ->
                        pick(3, "1", "2", "3", "-1", "0", "99999999999", "x", "");
                case "--rate", "--verify-rate" ->
                        pick(2, "1000", "1e9", "1", "0", "-5", "NaN", "x");
                case "--ewma-alpha" -> pick(2, "0.3", "1", "0", "2", "-0.5", "NaN", "x");
                case "--seed", "--max-bytes" -> pick(2, "7", "4096", "-1", "0", "x");
                case "--duration", "--cooldown", "--period", "--timeout", "--hop-timeout" ->
                        duration(false);
                case "--idle-timeout", "--checkpoint-interval" -> duration(true);
                default ->
                        type == Integer.class || type == int.class || type == long.class
                                ? pick(2, "1", "3", "-1", "0", "x")
                                : text();
            };
        }

        private String keyValue(String key, ConfigOption<?> option) throws Exception {
            if (key.endsWith(".url")) {
                return sink();
            }
            if (key.endsWith("bootstrap-servers")) {
                return pick(1, kafka.bootstrap(), "");
            }
            if (key.endsWith("ports")) {
                return ports(key.equals(ProbeSourceOptions.PORTS.key()) ? "--ports" : key)
                        .replace(',', ';');
            }
            if (key.endsWith("-file")
                    || key.endsWith("blocklist")
                    || key.endsWith("opt-out")
                    || key.endsWith("hitlist")
                    || key.endsWith("asn-table")
                    || key.endsWith("country-db")
                    || key.endsWith("as-names")
                    || key.endsWith("as-rank")
                    || key.endsWith("peeringdb")) {
                return input("--targets");
            }
            if (key.endsWith(".out") || key.endsWith("archive") || key.endsWith("emit-replies")) {
                return output();
            }
            Class<?> type = type(option);
            if (type == java.time.Duration.class) {
                return duration(key.endsWith("idle-timeout") || key.endsWith("reload-interval"));
            }
            if (type == Integer.class || type == Long.class) {
                return pick(2, "1", "3", "-1", "0", "x", "");
            }
            if (type == Double.class) {
                return pick(2, "0.05", "1", "0", "-1", "NaN", "x");
            }
            if (type == Boolean.class) {
                return pick(2, "true", "false", "x");
            }
            if (type == org.apache.flink.configuration.MemorySize.class) {
                return pick(2, "64 mb", "1 mb", "0", "-1", "x");
            }
            return text();
        }

        private static Class<?> type(ConfigOption<?> option) throws Exception {
            Method m = ConfigOption.class.getDeclaredMethod("getClazz");
            m.setAccessible(true);
            return (Class<?>) m.invoke(option);
        }

        private static void addIfAbsent(List<String> args, String flag, String value) {
            if (!args.contains(flag)) {
                args.add(flag);
                args.add(value);
            }
        }

        /** Prefixes to scan: loopback ones, or no prefix. */
        private String prefixes() {
            String p = pick(2, "127.0.0.1/32", "127.0.0.0/30", "::1/128", "x", "", "127.0.0.1/33");
            if (p.startsWith("127.0.0.")) {
                for (int i = 0; i < (p.endsWith("/30") ? 4 : 2); i++) {
                    targets.add("127.0.0." + i);
                }
            } else if (p.startsWith("::1")) {
                targets.add("::1");
            }
            return p;
        }

        private String duration(boolean huge) {
            return huge
                    ? pick(2, "1 s", "2 ms", "0 s", "-1 s", "x", "", "1000000000 d")
                    : pick(2, "1 s", "2 ms", "0 s", "-1 s", "x", "");
        }

        /** A port list; those of {@code --ports} are where the command may send. */
        private String ports(String name) {
            String p = pick(4, "80", "443", "80,443", "8080", "0", "70000", "-1", "x", "");
            for (String s : name.equals("--ports") ? p.split(",") : new String[0]) {
                try {
                    asked.add(Integer.parseInt(s));
                } catch (NumberFormatException e) {
                    // not a port
                }
            }
            return p;
        }

        private String text() {
            return pick(
                    1,
                    "x",
                    "",
                    "lo",
                    "127.0.0.1",
                    "::1",
                    "80",
                    "-1",
                    "1 d",
                    "%n%s",
                    "'; DROP TABLE census_counts; --",
                    "\u00e9\u4e2d\u0000",
                    "y".repeat(100_000));
        }

        private String sink() throws Exception {
            return pick(
                    1,
                    "duckdb:" + dir.resolve("census.duckdb"),
                    "duckdb:" + dir,
                    "duckdb:" + dir.resolve("no/such/dir/census.duckdb"),
                    "duckdb:" + copy(binary),
                    "postgresql://127.0.0.1:1/census",
                    "",
                    "x");
        }

        /** A file to read: of the right kind for the flag, or anything else. */
        String input(String name) throws Exception {
            Path p = dir.resolve("in-" + files++);
            switch (sane ? 9 : random.nextInt(10)) {
                case 0 -> {
                    return p.toString();
                }
                case 1 -> Files.createFile(p);
                case 2 -> Files.createDirectories(p);
                case 3 -> new ProcessBuilder("mkfifo", p.toString()).start().waitFor();
                case 4 -> {
                    Path q = dir.resolve("loop-" + files);
                    Files.createSymbolicLink(p, q);
                    Files.createSymbolicLink(q, p);
                }
                case 5 -> Files.createSymbolicLink(p, dir.resolve("nothing-" + files));
                case 6 -> Files.copy(binary, p);
                case 7 -> Files.createSymbolicLink(p, hugeLine);
                default -> {
                    return right(name, p);
                }
            }
            return p.toString();
        }

        private String right(String name, Path p) throws Exception {
            switch (name) {
                case "--input" -> {
                    return random.nextBoolean()
                            ? Replays.sample().toString()
                            : SharedData.file("tcpdump/mptcp-fclose.pcap").toString();
                }
                case "--asn-table" -> {
                    return Replays.sampleAsnTable().toString();
                }
                case "-f" -> Files.writeString(p, "SELECT 1;\n");
                default -> {
                    // A target list: loopback addresses only.
                    String list = pick(2, "127.0.0.1\n", "127.0.0.1\n::1\n", "# none\n", "::1\n");
                    list.lines().filter(l -> !l.startsWith("#")).forEach(targets::add);
                    Files.writeString(p, list, StandardCharsets.UTF_8);
                }
            }
            return p.toString();
        }

        /** A file or directory to write: new, existing, a directory, or nowhere. */
        private String output() throws Exception {
            Path p = dir.resolve("out-" + files++);
            switch (sane ? 4 : random.nextInt(5)) {
                case 0 -> Files.createFile(p);
                case 1 -> Files.createDirectories(p);
                case 2 -> p = dir.resolve("no/such/dir/out-" + files);
                case 3 -> {
                    return "";
                }
                default -> {}
            }
            return p.toString();
        }

        private Path copy(Path file) throws Exception {
            return Files.copy(file, dir.resolve("copy-" + files++));
        }

        private String pick(String... values) {
            return values[random.nextInt(values.length)];
        }

        /** One of the first {@code good} values in a sane try, else any. */
        private String pick(int good, String... values) {
            return values[random.nextInt(sane ? good : values.length)];
        }
    }

    /** A SYN (without ACK) in a frame of the loopback interface, or null. */
    static Syn syn(byte[] f) {
        int ip = 14;
        if (f.length < ip + 20) {
            return null;
        }
        int version = (f[ip] & 0xff) >> 4;
        int tcp;
        String destination;
        if (version == 4) {
            if ((f[ip + 9] & 0xff) != 6) {
                return null;
            }
            tcp = ip + 4 * (f[ip] & 0x0f);
            destination = org.mpcensus.probe.packet.IpAddress.format(f, ip + 16, 4);
        } else if (version == 6) {
            if (f.length < ip + 40 || (f[ip + 6] & 0xff) != 6) {
                return null;
            }
            tcp = ip + 40;
            destination = org.mpcensus.probe.packet.IpAddress.format(f, ip + 24, 16);
        } else {
            return null;
        }
        if (f.length < tcp + 20) {
            return null;
        }
        int flags = f[tcp + 13] & 0xff;
        if ((flags & 0x02) == 0 || (flags & 0x10) != 0) {
            return null;
        }
        int port = (f[tcp + 2] & 0xff) << 8 | (f[tcp + 3] & 0xff);
        int end = Math.min(f.length, tcp + 4 * ((f[tcp + 12] & 0xff) >> 4));
        boolean mptcp = false;
        for (int i = tcp + 20; i < end; ) {
            int kind = f[i] & 0xff;
            if (kind == 0) {
                break;
            }
            if (kind == 1) {
                i++;
                continue;
            }
            if (kind == 30) {
                mptcp = true;
            }
            if (i + 1 >= end || (f[i + 1] & 0xff) < 2) {
                break;
            }
            i += f[i + 1] & 0xff;
        }
        return new Syn(destination, port, mptcp);
    }
}
