package org.mpcensus.probe.testbed;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network of Linux network namespaces for trying the prober safely: the prober's interface in the
 * calling namespace, a router, and behind it real kernel MPTCPv1 listeners, plain TCP listeners,
 * closed ports, a silent range, {@link ReplyEmulator EMULATED} v0 hosts, mirroring and
 * key-rewriting middleboxes, and, behind a second router that strips MPTCP options with nftables,
 * more real MPTCPv1 hosts. Addresses come only from 198.18.0.0/15 and 2001:db8::/32. Every
 * namespace has a unique name; {@link #close()} kills the processes this testbed started (by PID)
 * and deletes what it created. Needs root (CAP_NET_ADMIN), iproute2, nftables and python3.
 */
public final class Testbed implements AutoCloseable {

    /** What a range of testbed addresses does, and what the census must make of it. */
    public enum Behaviour {
        KERNEL_MPTCP_V1("198.18.1.0/25", "CANDIDATE", "NOT_MPTCP"),
        PLAIN_TCP("198.18.2.0/25", "NOT_MPTCP", "NOT_MPTCP"),
        CLOSED("198.18.3.0/25", "NOT_MPTCP", "NOT_MPTCP"),
        SILENT("198.18.4.0/25", null, null),
        EMULATED_V0("198.18.5.0/25", "WRONG_VERSION", "CANDIDATE"),
        EMULATED_MIRROR("198.18.6.0/25", "MIRRORED", "MIRRORED"),
        EMULATED_KEY_REWRITER("198.18.7.0/25", "SUSPECT_KEY", "SUSPECT_KEY"),
        STRIPPED_PATH("198.18.8.0/25", "NOT_MPTCP", "NOT_MPTCP"),
        BLOCKLISTED("198.18.9.0/25", null, null);

        /** The IPv4 range. */
        public final String cidr;

        /** Expected classification of MPTCPv1 probes, null when no reply is expected. */
        public final String expectedV1;

        /** Expected classification of MPTCPv0 probes, null when no reply is expected. */
        public final String expectedV0;

        Behaviour(String cidr, String expectedV1, String expectedV0) {
            this.cidr = cidr;
            this.expectedV1 = expectedV1;
            this.expectedV0 = expectedV0;
        }

        /** The expected classification for a probed version, or null for "no reply". */
        public String expected(int version) {
            return version == 1 ? expectedV1 : expectedV0;
        }

        /** The behaviour of a testbed IPv4 address, or null. */
        public static Behaviour of(String address) {
            if (address.startsWith(V6_KERNEL_MPTCP_V1)) {
                return KERNEL_MPTCP_V1;
            }
            if (address.startsWith(V6_PLAIN_TCP)) {
                return PLAIN_TCP;
            }
            String[] q = address.split("\\.");
            if (q.length != 4 || !q[0].equals("198") || !q[1].equals("18")) {
                return null;
            }
            int third = Integer.parseInt(q[2]);
            int fourth = Integer.parseInt(q[3]);
            if (fourth >= 128) {
                return null;
            }
            for (Behaviour b : values()) {
                if (b.cidr.startsWith("198.18." + third + ".")) {
                    return b;
                }
            }
            return null;
        }
    }

    /** IPv6 hosts (a /64 each, as anyIP) of the kernel MPTCPv1 and plain TCP behaviours. */
    public static final String V6_KERNEL_MPTCP_V1 = "2001:db8:0:1::";

    public static final String V6_PLAIN_TCP = "2001:db8:0:2::";

    /** The prober's IPv6 address on its interface. */
    public static final String PROBER_IPV6 = "2001:db8:0:ffff::1";

    /**
     * IPv6 hosts per behaviour that has IPv6: {@code <prefix>1} to {@code <prefix>N}, for hitlists.
     */
    public static final int V6_HOSTS = 16;

    /** Addresses per behaviour. */
    public static final int RANGE_SIZE = 128;

    /** The prober's IPv4 address on its interface. */
    public static final String PROBER_IPV4 = "198.18.0.1";

    private final String prefix;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<Process> captures = new ArrayList<>();
    private final Path workDir;
    private String proberInterface;
    private String routerMac;

    private Testbed(String prefix, Path workDir) {
        this.prefix = prefix;
        this.workDir = workDir;
    }

    /** The programs the testbed runs, and the Debian package of each. */
    private static final java.util.Map<String, String> TOOLS =
            java.util.Map.of(
                    "ip", "iproute2", "nft", "nftables", "python3", "python3", "sysctl", "procps");

    /**
     * What this machine lacks to build the testbed: root, a program (by its Debian package) or
     * kernel MPTCP; empty when nothing is missing.
     */
    public static List<String> missing() {
        List<String> out = new java.util.ArrayList<>();
        if (!"root".equals(System.getProperty("user.name"))) {
            out.add("root (it creates network namespaces and interfaces)");
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (var tool : new java.util.TreeMap<>(TOOLS).entrySet()) {
            boolean found = false;
            for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool.getKey()))) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                out.add(tool.getKey() + " (apt-get install " + tool.getValue() + ")");
            }
        }
        try {
            if (!Files.readString(Path.of("/proc/sys/net/mptcp/enabled")).strip().equals("1")) {
                out.add("kernel MPTCP turned on (sysctl -w net.mptcp.enabled=1)");
            }
        } catch (IOException e) {
            out.add("a kernel with MPTCP (/proc/sys/net/mptcp/enabled)");
        }
        return out;
    }

    /** Builds the testbed; on any failure it removes what it built and rethrows. */
    public static Testbed start() throws IOException {
        String prefix =
                "mpc" + String.format(Locale.ROOT, "%04x", new SplittableRandom().nextInt(1 << 16));
        Testbed t = new Testbed(prefix, Files.createTempDirectory("mpcensus-testbed-"));
        try {
            t.build();
            return t;
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /** The prober's interface (in the calling namespace). */
    public String proberInterface() {
        return proberInterface;
    }

    /** The MAC of the router's interface facing the prober: the prober's next hop. */
    public String routerMac() {
        return routerMac;
    }

    /** Names of the namespaces this testbed created. */
    public List<String> namespaces() {
        return List.copyOf(namespaces);
    }

    /** The router namespace (first hop), e.g. for captures. */
    public String routerNamespace() {
        return prefix + "-r1";
    }

    /** The router's interface facing the prober. */
    public String routerUplink() {
        return "uplink";
    }

    /**
     * Starts tcpdump in the first router on its interface facing the prober, writing every TCP
     * segment to a pcap file, and returns once it listens. Stopped by {@link #stopCaptures()}.
     */
    public void startCapture(Path file) throws IOException {
        Path log = workDir.resolve("tcpdump-" + captures.size() + ".log");
        Process p =
                new ProcessBuilder(
                                "ip",
                                "netns",
                                "exec",
                                routerNamespace(),
                                "tcpdump",
                                "-i",
                                "uplink",
                                "-U",
                                "-n",
                                "-s",
                                "128",
                                "-B",
                                "32768",
                                "-w",
                                file.toString(),
                                "tcp")
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        processes.add(p);
        captures.add(p);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains("listening on")) {
                return;
            }
            if (!p.isAlive()) {
                throw new IOException("tcpdump ended: " + Files.readString(log));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        throw new IOException("tcpdump did not start");
    }

    /** Stops the captures (SIGTERM) and waits until their files are complete. */
    public void stopCaptures() throws InterruptedException {
        for (Process p : captures) {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        captures.clear();
    }

    private void build() throws IOException {
        String r1 = ns("r1");
        String r2 = ns("r2");
        proberInterface = prefix + "p";
        // prober (calling namespace) <-> r1
        sh(
                "ip",
                "link",
                "add",
                proberInterface,
                "type",
                "veth",
                "peer",
                "name",
                "uplink",
                "netns",
                r1);
        sh("ip", "addr", "add", PROBER_IPV4 + "/30", "dev", proberInterface);
        sh("ip", "link", "set", "dev", proberInterface, "up");
        in(r1, "ip", "addr", "add", "198.18.0.2/30", "dev", "uplink");
        in(r1, "ip", "link", "set", "dev", "uplink", "up");
        in(r1, "ip", "link", "set", "dev", "lo", "up");
        in(r1, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        sh("ip", "route", "add", "198.18.0.0/20", "via", "198.18.0.2", "dev", proberInterface);
        sh("ip", "-6", "addr", "add", PROBER_IPV6 + "/64", "dev", proberInterface, "nodad");
        in(r1, "ip", "-6", "addr", "add", "2001:db8:0:ffff::2/64", "dev", "uplink", "nodad");
        in(r1, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
        sh(
                "ip",
                "-6",
                "route",
                "add",
                "2001:db8::/48",
                "via",
                "2001:db8:0:ffff::2",
                "dev",
                proberInterface);
        routerMac = in(r1, "cat", "/sys/class/net/uplink/address").trim();

        int link = 1;
        String v1 = host(r1, link++, "v1", Behaviour.KERNEL_MPTCP_V1.cidr, "262");
        ipv6Hosts(r1, v1, 1, V6_KERNEL_MPTCP_V1);
        String plain = host(r1, link++, "plain", Behaviour.PLAIN_TCP.cidr, "6");
        ipv6Hosts(r1, plain, 2, V6_PLAIN_TCP);
        in(plain, "ip", "route", "add", "local", Behaviour.BLOCKLISTED.cidr, "dev", "lo");
        in(r1, "ip", "route", "add", Behaviour.BLOCKLISTED.cidr, "via", "198.18.0." + (4 * 2 + 2));
        host(r1, link++, "closed", Behaviour.CLOSED.cidr, null);
        in(r1, "ip", "route", "add", "blackhole", Behaviour.SILENT.cidr);

        String emu = ns("emu");
        String emuAddr = link(r1, emu, link++);
        for (Behaviour b :
                List.of(
                        Behaviour.EMULATED_V0,
                        Behaviour.EMULATED_MIRROR,
                        Behaviour.EMULATED_KEY_REWRITER)) {
            in(r1, "ip", "route", "add", b.cidr, "via", emuAddr);
        }
        start(
                emu,
                List.of(
                        javaBinary(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        ReplyEmulator.class.getName(),
                        "eth0",
                        "v0=" + Behaviour.EMULATED_V0.cidr,
                        "mirror=" + Behaviour.EMULATED_MIRROR.cidr,
                        "rewriter=" + Behaviour.EMULATED_KEY_REWRITER.cidr));

        // r1 <-> r2, which strips MPTCP options, <-> real MPTCPv1 hosts
        String r2Addr = link(r1, r2, link++);
        in(r2, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        in(r1, "ip", "route", "add", Behaviour.STRIPPED_PATH.cidr, "via", r2Addr);
        String far = ns("far");
        String farAddr = link(r2, far, link++);
        in(r2, "ip", "route", "add", Behaviour.STRIPPED_PATH.cidr, "via", farAddr);
        in(far, "ip", "route", "add", "local", Behaviour.STRIPPED_PATH.cidr, "dev", "lo");
        listen(far, "262");
        Path rules = workDir.resolve("strip.nft");
        Files.writeString(
                rules,
                "table inet mpcensus_strip {\n"
                        + "  chain forward {\n"
                        + "    type filter hook forward priority 0; policy accept;\n"
                        + "    tcp option mptcp exists reset tcp option mptcp\n"
                        + "  }\n"
                        + "}\n");
        in(r2, "nft", "-f", rules.toString());
        waitForEmulator();
    }

    /** Gives a host namespace on link {@code k} IPv6: a /64 of anyIP hosts routed from r1. */
    private void ipv6Hosts(String r1, String host, int k, String prefix) throws IOException {
        String up = "2001:db8:0:f00" + k + "::1";
        String down = "2001:db8:0:f00" + k + "::2";
        in(r1, "ip", "-6", "addr", "add", up + "/64", "dev", "l" + k, "nodad");
        in(host, "ip", "-6", "addr", "add", down + "/64", "dev", "eth0", "nodad");
        in(host, "ip", "-6", "route", "add", "default", "via", up);
        in(host, "ip", "-6", "route", "add", "local", prefix + "/64", "dev", "lo");
        in(r1, "ip", "-6", "route", "add", prefix + "/64", "via", down);
    }

    /** The IPv6 hitlist of the testbed: the IPv6 hosts of every behaviour that has them. */
    public static List<String> ipv6Hitlist() {
        List<String> out = new ArrayList<>();
        for (String prefix : List.of(V6_KERNEL_MPTCP_V1, V6_PLAIN_TCP)) {
            for (int i = 1; i <= V6_HOSTS; i++) {
                out.add(prefix + Integer.toHexString(i));
            }
        }
        return out;
    }

    /** A namespace behind r1 with anyIP for its range and, unless closed, a listener. */
    private String host(String r1, int link, String name, String cidr, String protocol)
            throws IOException {
        String n = ns(name);
        String addr = link(r1, n, link);
        in(r1, "ip", "route", "add", cidr, "via", addr);
        in(n, "ip", "route", "add", "local", cidr, "dev", "lo");
        if (protocol != null) {
            listen(n, protocol);
        }
        return n;
    }

    /**
     * Joins {@code upper} (a router) and {@code lower} with a /30: 198.18.0.(4k+1) on the router,
     * (4k+2) below, with a default route up. Returns the lower address.
     */
    private String link(String upper, String lower, int k) throws IOException {
        String up = "198.18.0." + (4 * k + 1);
        String down = "198.18.0." + (4 * k + 2);
        String name = "l" + k;
        in(
                upper, "ip", "link", "add", name, "type", "veth", "peer", "name", "eth0", "netns",
                lower);
        in(upper, "ip", "addr", "add", up + "/30", "dev", name);
        in(upper, "ip", "link", "set", "dev", name, "up");
        in(lower, "ip", "addr", "add", down + "/30", "dev", "eth0");
        in(lower, "ip", "link", "set", "dev", "eth0", "up");
        in(lower, "ip", "link", "set", "dev", "lo", "up");
        in(lower, "ip", "route", "add", "default", "via", up);
        return down;
    }

    private void listen(String namespace, String protocol) throws IOException {
        Path script = workDir.resolve("listener.py");
        if (!Files.exists(script)) {
            Files.writeString(
                    script,
                    String.join(
                            "\n",
                            "import socket, sys, threading",
                            "proto = int(sys.argv[1])",
                            "def serve(port, family, address):",
                            "    s = socket.socket(family, socket.SOCK_STREAM, proto)",
                            "    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
                            "    if family == socket.AF_INET6:",
                            "        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)",
                            "    s.bind((address, port))",
                            "    s.listen(4096)",
                            "    while True:",
                            "        c, _ = s.accept()",
                            "        c.close()",
                            "threads = [threading.Thread(target=serve, args=(p, f, a), daemon=True)"
                                    + " for p in (80, 443)"
                                    + " for f, a in ((socket.AF_INET, '0.0.0.0'), (socket.AF_INET6, '::'))]",
                            "[t.start() for t in threads]",
                            "print('listening', flush=True)",
                            "threading.Event().wait()",
                            ""),
                    StandardCharsets.UTF_8);
        }
        start(namespace, List.of("python3", script.toString(), protocol));
    }

    private String ns(String name) throws IOException {
        String n = prefix + "-" + name;
        sh("ip", "netns", "add", n);
        namespaces.add(n);
        return n;
    }

    private void start(String namespace, List<String> command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(command);
        Process p =
                new ProcessBuilder(full)
                        .redirectErrorStream(true)
                        .redirectOutput(
                                workDir.resolve(namespace + "-" + processes.size() + ".log")
                                        .toFile())
                        .start();
        processes.add(p);
    }

    private void waitForEmulator() throws IOException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean ready = true;
            try (var logs = Files.list(workDir)) {
                for (Path log : logs.filter(f -> f.toString().endsWith(".log")).toList()) {
                    String text = Files.readString(log);
                    if (!text.contains("listening") && !text.contains("emulating")) {
                        ready = false;
                    }
                }
            }
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IOException(
                            "a testbed process ended early: " + p.info().commandLine().orElse("?"));
                }
            }
            if (ready) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        throw new IOException(
                "testbed listeners and emulator did not start within 30 s (logs in "
                        + workDir
                        + ")");
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs a command inside a namespace and returns its output. */
    public String in(String namespace, String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return run(full);
    }

    private static String sh(String... command) throws IOException {
        return run(List.of(command));
    }

    private static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(
                    String.join(" ", command) + " failed (" + p.exitValue() + "): " + out.trim());
        }
        return out;
    }

    /**
     * Writes what {@link #tearDown(Path)} needs to remove this testbed from another process: the
     * PIDs it started, its namespaces, its interface. The testbed keeps running after this JVM
     * ends.
     */
    public void save(Path stateFile) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("# mpcensus testbed state; remove with: mpcensus testbed down\n");
        s.append("interface ").append(proberInterface).append('\n');
        for (Process p : processes) {
            s.append("pid ")
                    .append(p.pid())
                    .append(' ')
                    .append(p.info().startInstant().map(Object::toString).orElse("-"))
                    .append('\n');
        }
        for (String n : namespaces) {
            s.append("netns ").append(n).append('\n');
        }
        s.append("workdir ").append(workDir).append('\n');
        Files.writeString(stateFile, s.toString(), StandardCharsets.UTF_8);
    }

    /**
     * Removes a testbed saved with {@link #save(Path)}: ends the processes it started (by PID, only
     * when the PID still names the same process), deletes its interface, namespaces and files.
     */
    public static void tearDown(Path stateFile) throws IOException {
        List<String> lines = Files.readAllLines(stateFile, StandardCharsets.UTF_8);
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f[0].equals("pid")) {
                ProcessHandle.of(Long.parseLong(f[1]))
                        .filter(
                                h ->
                                        h.info()
                                                .startInstant()
                                                .map(Object::toString)
                                                .orElse("-")
                                                .equals(f[2]))
                        .ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        for (String line : lines) {
            String[] f = line.split(" ", 2);
            try {
                switch (f[0]) {
                    case "interface" -> sh("ip", "link", "del", f[1]);
                    case "netns" -> sh("ip", "netns", "del", f[1]);
                    case "workdir" -> {
                        File[] files = new File(f[1]).listFiles();
                        if (files != null) {
                            for (File file : files) {
                                file.delete();
                            }
                        }
                        new File(f[1]).delete();
                    }
                    default -> {}
                }
            } catch (IOException ignored) {
                // already gone
            }
        }
        Files.deleteIfExists(stateFile);
    }

    /** Kills the processes it started (by PID), deletes its namespaces, interface and files. */
    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (proberInterface != null) {
            try {
                sh("ip", "link", "del", proberInterface);
            } catch (IOException ignored) {
                // gone with its namespace peer already
            }
        }
        for (String n : namespaces) {
            try {
                sh("ip", "netns", "del", n);
            } catch (IOException ignored) {
                // already gone
            }
        }
        File[] files = workDir.toFile().listFiles();
        if (files != null) {
            for (File f : files) {
                f.delete();
            }
        }
        workDir.toFile().delete();
    }
}
