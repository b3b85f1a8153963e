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
import org.mpcensus.probe.packet.IpAddress;

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
        KERNEL_MPTCP_V1("198.18.1.0/25", "2001:db8:0:1::", "CANDIDATE", "NOT_MPTCP"),
        PLAIN_TCP("198.18.2.0/25", "2001:db8:0:2::", "NOT_MPTCP", "NOT_MPTCP"),
        CLOSED("198.18.3.0/25", null, "NOT_MPTCP", "NOT_MPTCP"),
        SILENT("198.18.4.0/25", null, null, null),
        EMULATED_V0("198.18.5.0/25", null, "WRONG_VERSION", "CANDIDATE"),
        EMULATED_MIRROR("198.18.6.0/25", null, "MIRRORED", "MIRRORED"),
        EMULATED_KEY_REWRITER("198.18.7.0/25", null, "SUSPECT_KEY", "SUSPECT_KEY"),
        STRIPPED_PATH("198.18.8.0/25", "2001:db8:0:8::", "NOT_MPTCP", "NOT_MPTCP"),
        BLOCKLISTED("198.18.9.0/25", null, null, null),
        CLEAN_PATH("198.18.10.0/25", "2001:db8:0:10::", "CANDIDATE", "NOT_MPTCP"),
        QUOTE8_PATH("198.18.11.0/25", null, "NOT_MPTCP", "NOT_MPTCP"),
        PROHIBITED_PATH("198.18.12.0/25", "2001:db8:0:12::", null, null),
        REWRITE_PATH("198.18.13.0/25", null, "WRONG_VERSION", "CANDIDATE"),
        MIRROR_PATH("198.18.14.0/25", null, "NOT_MPTCP", "NOT_MPTCP");

        /** The IPv4 range. */
        public final String cidr;

        /** The IPv6 /64 of the behaviour's IPv6 hosts ({@code <prefix>1} ...), or null. */
        public final String v6Prefix;

        /** Expected classification of MPTCPv1 probes, null when no reply is expected. */
        public final String expectedV1;

        /** Expected classification of MPTCPv0 probes, null when no reply is expected. */
        public final String expectedV0;

        Behaviour(String cidr, String v6Prefix, String expectedV1, String expectedV0) {
            this.cidr = cidr;
            this.v6Prefix = v6Prefix;
            this.expectedV1 = expectedV1;
            this.expectedV0 = expectedV0;
        }

        /** The expected classification for a probed version, or null for "no reply". */
        public String expected(int version) {
            return version == 1 ? expectedV1 : expectedV0;
        }

        /**
         * What path verification must find for a host of this behaviour probed with a version (hop
         * 1 is the first router), or null for the blocklisted range. The hop's address is the
         * testbed's ({@link Testbed#hopAddress}).
         */
        public PathTruth path(int version) {
            return switch (this) {
                case KERNEL_MPTCP_V1, CLEAN_PATH ->
                        version == 1 ? PathTruth.capable() : PathTruth.notMptcp();
                case PLAIN_TCP, CLOSED, MIRROR_PATH -> PathTruth.notMptcp();
                case SILENT -> PathTruth.unreachable("NONE");
                case PROHIBITED_PATH -> PathTruth.unreachable("PROHIBITED");
                case EMULATED_V0, EMULATED_KEY_REWRITER -> PathTruth.capable();
                case EMULATED_MIRROR -> PathTruth.affected(2, "MP_CAPABLE mirrored");
                case STRIPPED_PATH -> PathTruth.affected(2, "MP_CAPABLE removed");
                case QUOTE8_PATH -> PathTruth.affected(2, "unknown");
                case REWRITE_PATH ->
                        version == 0
                                ? PathTruth.affected(3, "MP_CAPABLE key changed")
                                : PathTruth.capable();
                case BLOCKLISTED -> null;
            };
        }

        /**
         * What an HTTP(S) GET over a kernel MPTCP socket to a host of this behaviour must find:
         * true when the connection is Multipath TCP end to end, false when it answers over TCP
         * after falling back (the server speaks only TCP, or the path strips or mirrors the
         * option), null when no HTTP server answers.
         */
        public Boolean httpMptcp() {
            return switch (this) {
                case KERNEL_MPTCP_V1, CLEAN_PATH -> true;
                case PLAIN_TCP, STRIPPED_PATH, QUOTE8_PATH, MIRROR_PATH -> false;
                default -> null;
            };
        }

        /** The behaviour of a testbed address, or null. */
        public static Behaviour of(String address) {
            if (address.contains(":")) {
                String normal = IpAddress.format(IpAddress.parse(address));
                for (Behaviour b : values()) {
                    if (b.v6Prefix != null && normal.startsWith(b.v6Prefix)) {
                        return b;
                    }
                }
                return null;
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

    /**
     * The expected verdict of a path verification.
     *
     * @param category {@code TRULY_CAPABLE}, {@code MIDDLEBOX_AFFECTED}, {@code UNREACHABLE} or
     *     {@code NOT_MPTCP}
     * @param hop the modifying hop, 0 when none
     * @param modification what the hop changed, or null
     * @param answer the target's answer for unreachable hosts ({@code NONE}, {@code PROHIBITED}),
     *     or null when not checked
     */
    public record PathTruth(String category, int hop, String modification, String answer) {
        static PathTruth capable() {
            return new PathTruth("TRULY_CAPABLE", 0, null, null);
        }

        static PathTruth notMptcp() {
            return new PathTruth("NOT_MPTCP", 0, null, null);
        }

        static PathTruth unreachable(String answer) {
            return new PathTruth("UNREACHABLE", 0, null, answer);
        }

        static PathTruth affected(int hop, String modification) {
            return new PathTruth("MIDDLEBOX_AFFECTED", hop, modification, null);
        }
    }

    /** IPv6 hosts (a /64 each, as anyIP) of the kernel MPTCPv1 and plain TCP behaviours. */
    public static final String V6_KERNEL_MPTCP_V1 = Behaviour.KERNEL_MPTCP_V1.v6Prefix;

    public static final String V6_PLAIN_TCP = Behaviour.PLAIN_TCP.v6Prefix;

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
                    "ip",
                    "iproute2",
                    "nft",
                    "nftables",
                    "python3",
                    "python3",
                    "sysctl",
                    "procps",
                    "openssl",
                    "openssl",
                    "ethtool",
                    "ethtool");

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

        certificate();
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
        startJava(
                emu,
                ReplyEmulator.class,
                List.of(
                        "eth0",
                        "v0=" + Behaviour.EMULATED_V0.cidr,
                        "mirror=" + Behaviour.EMULATED_MIRROR.cidr,
                        "rewriter=" + Behaviour.EMULATED_KEY_REWRITER.cidr));

        // r1 <-> r2, which strips MPTCP options as they arrive (so its own quotes show the
        // change), <-> real MPTCPv1 hosts
        String r2Addr = link(r1, r2, link);
        String r2Addr6 = link6(r1, r2, link++);
        router(r2);
        hops.put(Behaviour.STRIPPED_PATH + "|4", r2Addr);
        hops.put(Behaviour.STRIPPED_PATH + "|6", r2Addr6);
        route(r1, Behaviour.STRIPPED_PATH, r2Addr, r2Addr6);
        String far = ns("far");
        String farAddr = link(r2, far, link);
        String farAddr6 = link6(r2, far, link++);
        route(r2, Behaviour.STRIPPED_PATH, farAddr, farAddr6);
        local(far, Behaviour.STRIPPED_PATH);
        listen(far, "262");
        nft(r2, "strip", "tcp option mptcp exists reset tcp option mptcp");

        // r1 <-> c2 <-> c3 <-> real MPTCPv1 hosts: a clean path of three routers
        String c2 = ns("c2");
        String c3 = ns("c3");
        String cleanHost = ns("clean");
        wires.put(cleanHost, List.of(CLEAN_PATH_MPTCP_DELAY_MS, CLEAN_PATH_UP_DELAY_MS, 0));
        chain(r1, List.of(c2, c3, cleanHost), Behaviour.CLEAN_PATH, link);
        link += 3;
        local(cleanHost, Behaviour.CLEAN_PATH);
        listen(cleanHost, "262");

        // r1 <-> q2, an RFC 792 router (8-byte quotes, EMULATED) that also strips MPTCP options,
        // <-> real MPTCPv1 hosts
        String q2 = ns("q2");
        String q8Host = ns("q8");
        String q2Addr = chain(r1, List.of(q2, q8Host), Behaviour.QUOTE8_PATH, link).get(0);
        link += 2;
        hops.put(Behaviour.QUOTE8_PATH + "|4", q2Addr);
        local(q8Host, Behaviour.QUOTE8_PATH);
        listen(q8Host, "262");
        nft(q2, "quote8", "ip ttl 1 drop", "tcp option mptcp exists reset tcp option mptcp");
        startJava(q2, QuoteEmulator.class, List.of("eth0", q2Addr));

        // r1 <-> p2, whose filter rejects the range as administratively prohibited (p3, behind
        // it, never sees a probe)
        String p2 = ns("p2");
        String behindP2 = ns("p3");
        chain(r1, List.of(p2, behindP2), Behaviour.PROHIBITED_PATH, link);
        link += 2;
        Path reject = workDir.resolve("prohibit.nft");
        Files.writeString(
                reject,
                "table inet mpcensus_prohibit {\n"
                        + "  chain forward {\n"
                        + "    type filter hook forward priority 0; policy accept;\n"
                        + "    ip daddr "
                        + Behaviour.PROHIBITED_PATH.cidr
                        + " reject with icmp type admin-prohibited\n"
                        + "    ip6 daddr "
                        + Behaviour.PROHIBITED_PATH.v6Prefix
                        + "/64 reject with icmpv6 type admin-prohibited\n"
                        + "  }\n"
                        + "}\n");
        in(p2, "nft", "-f", reject.toString());

        // r1 <-> w2 <-> w3, which rewrites the key of v0 MP_CAPABLE as it arrives, <-> EMULATED
        // v0 hosts (the emulator ignores the TCP checksum that nftables leaves stale)
        String w2 = ns("w2");
        String w3 = ns("w3");
        String rwHost = ns("rw");
        String w3Addr = chain(r1, List.of(w2, w3, rwHost), Behaviour.REWRITE_PATH, link).get(1);
        link += 3;
        hops.put(Behaviour.REWRITE_PATH + "|4", w3Addr);
        // Our probes carry MSS first, then MP_CAPABLE: option kind 30 and length 12 at TCP bytes
        // 24 and 25, the v0 key at bytes 28 to 35.
        nft(
                w3,
                "rewrite",
                "tcp flags & (syn | ack) == syn @th,192,16 0x1e0c @th,224,64 set 0x"
                        + Long.toHexString(REWRITTEN_PATH_KEY));
        startJava(
                rwHost, ReplyEmulator.class, List.of("eth0", "v0=" + Behaviour.REWRITE_PATH.cidr));
        link += 3;

        // r1 <-> m2, which writes the MP_CAPABLE a Linux client's SYN carries into the SYN-ACKs
        // of the connections whose SYN carried one (a mirroring middlebox), <-> plain TCP hosts
        // without timestamps (so that the
        // SYN-ACK's options to a Linux SYN are MSS, NOP, NOP, SACK_PERM, NOP, WS; the prober's SYN
        // asks for neither SACK nor window scaling, so its SYN-ACKs carry MSS alone and pass)
        String m2 = ns("m2");
        String mirrorHost = ns("mh");
        // the link from r1 to m2 loses the first data segment of every connection (in front of
        // m2, so that m2's interface puts a whole checksum on the SYN-ACKs it rewrote)
        wires.put(m2, List.of(0, 0, 1));
        chain(r1, List.of(m2, mirrorHost), Behaviour.MIRROR_PATH, link);
        link += 2;
        local(mirrorHost, Behaviour.MIRROR_PATH);
        in(mirrorHost, "sysctl", "-qw", "net.ipv4.tcp_timestamps=0");
        listen(mirrorHost, "6");
        nft(
                m2,
                MIRROR_TABLE,
                "ip daddr "
                        + Behaviour.MIRROR_PATH.cidr
                        + " tcp flags & (syn | ack) == syn tcp option mptcp exists ct mark set 0x1",
                "ip saddr "
                        + Behaviour.MIRROR_PATH.cidr
                        + " ct mark 0x1 tcp flags & (syn | ack) == syn | ack"
                        + " @th,192,32 0x01010402 counter @th,192,32 set 0x1e040101");
        mirrorRouter = m2;
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

    /**
     * Delay of MPTCP segments toward the {@link Behaviour#CLEAN_PATH} hosts, on the {@link
     * DelayEmulator emulated} link in front of them: MPTCP connects there take this much longer
     * than TCP ones.
     */
    public static final int CLEAN_PATH_MPTCP_DELAY_MS = 40;

    /** Delay of every frame coming back from the {@link Behaviour#CLEAN_PATH} hosts. */
    public static final int CLEAN_PATH_UP_DELAY_MS = 20;

    /** The nftables table of the mirroring router of {@link Behaviour#MIRROR_PATH}. */
    private static final String MIRROR_TABLE = "mirror";

    /**
     * Delays (down MPTCP, up, in ms) and whether the first data segment down is lost (1), of the
     * emulated wires, by the namespace below them.
     */
    private final java.util.Map<String, List<Integer>> wires = new java.util.HashMap<>();

    private String mirrorRouter;

    /**
     * How many SYN-ACKs the mirroring router of {@link Behaviour#MIRROR_PATH} has rewritten (its
     * nftables rule's counter).
     */
    public long mirroredSynAcks() throws IOException {
        String table = in(mirrorRouter, "nft", "list", "table", "inet", "mpcensus_" + MIRROR_TABLE);
        var m = java.util.regex.Pattern.compile("counter packets (\\d+)").matcher(table);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /**
     * Joins {@code upper} to {@code lower} like {@link #link} through a {@link DelayEmulator} in a
     * namespace of its own, with {@code delays} (down MPTCP, up) in milliseconds and the loss of
     * each connection's first data segment down (1) or not (0).
     */
    private String delayedLink(String upper, String lower, int k, List<Integer> delays)
            throws IOException {
        String wire = ns("d" + k);
        in(wire, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
        in(wire, "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1");
        String name = "l" + k;
        in(upper, "ip", "link", "add", name, "type", "veth", "peer", "name", "w-up", "netns", wire);
        in(
                wire, "ip", "link", "add", "w-down", "type", "veth", "peer", "name", "eth0",
                "netns", lower);
        String up = "198.18.0." + (4 * k + 1);
        String down = "198.18.0." + (4 * k + 2);
        in(upper, "ip", "addr", "add", up + "/30", "dev", name);
        in(lower, "ip", "addr", "add", down + "/30", "dev", "eth0");
        for (String[] side : new String[][] {{upper, name}, {lower, "eth0"}}) {
            // what enters the wire must be what a wire carries: whole checksums, no super-frames
            in(side[0], "ethtool", "-K", side[1], "tx", "off", "tso", "off", "gso", "off");
            in(side[0], "ip", "link", "set", "dev", side[1], "up");
        }
        in(lower, "ip", "link", "set", "dev", "lo", "up");
        for (String i : List.of("w-up", "w-down", "lo")) {
            in(wire, "ip", "link", "set", "dev", i, "up");
        }
        in(lower, "ip", "route", "add", "default", "via", up);
        startJava(
                wire,
                DelayEmulator.class,
                List.of(
                        "w-up",
                        "w-down",
                        delays.get(0).toString(),
                        delays.get(1).toString(),
                        delays.get(2).toString()));
        return down;
    }

    /** A self-signed certificate and key for the testbed's HTTPS servers. */
    private void certificate() throws IOException {
        sh(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-subj",
                "/CN=mpcensus testbed",
                "-days",
                "7",
                "-keyout",
                workDir.resolve("key.pem").toString(),
                "-out",
                workDir.resolve("cert.pem").toString());
    }

    /** The key the rewriting router of {@link Behaviour#REWRITE_PATH} writes into v0 probes. */
    public static final long REWRITTEN_PATH_KEY = 0x1111222233334444L;

    /** The address (by behaviour and IP version) of the hop that changes the probes. */
    private final java.util.Map<String, String> hops = new java.util.HashMap<>();

    /**
     * The address of the router that changes the probes to a behaviour's hosts (the hop its {@link
     * Behaviour#path} names), or the host itself when the host's answer is what is wrong; null when
     * nothing on the path changes them.
     */
    public String hopAddress(Behaviour b, int ipVersion, String host) {
        return b == Behaviour.EMULATED_MIRROR ? host : hops.get(b + "|" + ipVersion);
    }

    /** Turns on forwarding and lifts ICMP rate limits, as a router of the testbed. */
    private void router(String n) throws IOException {
        in(n, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        in(n, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
    }

    /**
     * Joins {@code upper} to {@code lower} with IPv6 too: 2001:db8:0:f0kk::1 on the upper side, ::2
     * below, a default route up. Returns the lower address.
     */
    private String link6(String upper, String lower, int k) throws IOException {
        String net = String.format(Locale.ROOT, "2001:db8:0:f0%02x::", k);
        in(upper, "ip", "-6", "addr", "add", net + "1/64", "dev", "l" + k, "nodad");
        in(lower, "ip", "-6", "addr", "add", net + "2/64", "dev", "eth0", "nodad");
        in(lower, "ip", "-6", "route", "add", "default", "via", net + "1");
        return net + "2";
    }

    /** Routes a behaviour's IPv4 range (and IPv6 /64, if any) from a router to a next hop. */
    private void route(String from, Behaviour b, String via, String via6) throws IOException {
        in(from, "ip", "route", "add", b.cidr, "via", via);
        if (b.v6Prefix != null && via6 != null) {
            in(from, "ip", "-6", "route", "add", b.v6Prefix + "/64", "via", via6);
        }
    }

    /** Makes a behaviour's addresses local (anyIP) in a host namespace. */
    private void local(String host, Behaviour b) throws IOException {
        in(host, "ip", "route", "add", "local", b.cidr, "dev", "lo");
        if (b.v6Prefix != null) {
            in(host, "ip", "-6", "route", "add", "local", b.v6Prefix + "/64", "dev", "lo");
        }
    }

    /**
     * Joins {@code first} to each namespace of {@code chain} in turn (links {@code k, k+1, ...}),
     * the last being the hosts, every other a router routing the behaviour's range down. Returns
     * the IPv4 address of each namespace on its link up.
     */
    private List<String> chain(String first, List<String> chain, Behaviour b, int k)
            throws IOException {
        List<String> addresses = new ArrayList<>();
        String upper = first;
        for (int i = 0; i < chain.size(); i++) {
            String lower = chain.get(i);
            String a =
                    wires.containsKey(lower)
                            ? delayedLink(upper, lower, k + i, wires.get(lower))
                            : link(upper, lower, k + i);
            String a6 = b.v6Prefix == null ? null : link6(upper, lower, k + i);
            route(upper, b, a, a6);
            if (i < chain.size() - 1) {
                router(lower);
            }
            addresses.add(a);
            upper = lower;
        }
        return addresses;
    }

    /** Loads an nftables table of prerouting rules (they see packets as they arrive). */
    private void nft(String n, String name, String... rules) throws IOException {
        StringBuilder t = new StringBuilder();
        t.append("table inet mpcensus_").append(name).append(" {\n");
        t.append("  chain prerouting {\n");
        t.append("    type filter hook prerouting priority -150; policy accept;\n");
        for (String r : rules) {
            t.append("    ").append(r).append('\n');
        }
        t.append("  }\n}\n");
        Path file = workDir.resolve(n + "-" + name + ".nft");
        Files.writeString(file, t.toString());
        in(n, "nft", "-f", file.toString());
    }

    /** The IPv6 hitlist of the testbed: the IPv6 hosts of every behaviour that has them. */
    public static List<String> ipv6Hitlist() {
        List<String> out = new ArrayList<>();
        for (Behaviour b : Behaviour.values()) {
            if (b.v6Prefix == null) {
                continue;
            }
            for (int i = 1; i <= V6_HOSTS; i++) {
                out.add(b.v6Prefix + Integer.toHexString(i));
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

    /**
     * Starts HTTP (port 80) and HTTPS (443, the testbed's self-signed certificate) servers on every
     * address of a namespace, IPv4 and IPv6, over sockets of a protocol (262 MPTCP, 6 TCP). Each
     * answers a GET with 200 and {@link #HTTP_BODY_BYTES} bytes, then closes.
     */
    private void listen(String namespace, String protocol) throws IOException {
        Path script = workDir.resolve("server.py");
        if (!Files.exists(script)) {
            Files.writeString(
                    script,
                    String.join(
                            "\n",
                            "import socket, ssl, sys, threading",
                            "proto = int(sys.argv[1])",
                            "tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)",
                            "tls.load_cert_chain(sys.argv[2], sys.argv[3])",
                            "body = b'mpcensus testbed\\n' * " + (HTTP_BODY_BYTES / 17),
                            "head = b'HTTP/1.1 200 OK\\r\\nContent-Type: text/plain\\r\\n'"
                                    + " + b'Content-Length: %d\\r\\nConnection: close\\r\\n\\r\\n'"
                                    + " % len(body)",
                            "def handle(c, secure):",
                            "    try:",
                            "        c.settimeout(10)",
                            "        if secure:",
                            "            c = tls.wrap_socket(c, server_side=True)",
                            "        data = b''",
                            "        while b'\\r\\n\\r\\n' not in data and len(data) < 16384:",
                            "            chunk = c.recv(4096)",
                            "            if not chunk:",
                            "                return",
                            "            data += chunk",
                            "        c.sendall(head + body)",
                            "    except Exception:",
                            "        pass",
                            "    finally:",
                            "        c.close()",
                            "def serve(port, family, address):",
                            "    s = socket.socket(family, socket.SOCK_STREAM, proto)",
                            "    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
                            "    if family == socket.AF_INET6:",
                            "        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)",
                            "    s.bind((address, port))",
                            "    s.listen(4096)",
                            "    while True:",
                            "        c, _ = s.accept()",
                            "        threading.Thread(target=handle, args=(c, port == 443),"
                                    + " daemon=True).start()",
                            "threads = [threading.Thread(target=serve, args=(p, f, a), daemon=True)"
                                    + " for p in (80, 443)"
                                    + " for f, a in ((socket.AF_INET, '0.0.0.0'), (socket.AF_INET6, '::'))]",
                            "[t.start() for t in threads]",
                            "print('listening', flush=True)",
                            "threading.Event().wait()",
                            ""),
                    StandardCharsets.UTF_8);
        }
        start(
                namespace,
                List.of(
                        "python3",
                        script.toString(),
                        protocol,
                        workDir.resolve("cert.pem").toString(),
                        workDir.resolve("key.pem").toString()));
    }

    /** The body of every testbed HTTP(S) answer, in bytes. */
    public static final int HTTP_BODY_BYTES = 17 * 600;

    private String ns(String name) throws IOException {
        String n = prefix + "-" + name;
        sh("ip", "netns", "add", n);
        namespaces.add(n);
        // Linux limits ICMP errors to about one per second per destination; path verification
        // needs every hop's answer.
        in(n, "sysctl", "-qw", "net.ipv4.icmp_ratelimit=0");
        in(n, "sysctl", "-qw", "net.ipv6.icmp.ratelimit=0");
        in(n, "sysctl", "-qw", "net.ipv4.icmp_msgs_per_sec=100000");
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

    /** Starts a class of ours in a namespace, on this JVM's class path. */
    private void startJava(String namespace, Class<?> main, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        start(namespace, command);
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
