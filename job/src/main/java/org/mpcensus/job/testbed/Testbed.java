package org.mpcensus.job.testbed;

import static org.mpcensus.job.testbed.Shell.in;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.mpcensus.probe.testbed.QuoteEmulator;
import org.mpcensus.probe.testbed.ReplyEmulator;

/**
 * A network of Linux network namespaces for trying the prober safely: the prober's interface in the
 * calling namespace, a router, and behind it the ranges of every {@link Behaviour}: real kernel
 * MPTCPv1 listeners, plain TCP listeners, closed ports, a silent range, {@link ReplyEmulator
 * EMULATED} v0 hosts, mirroring and key-rewriting middleboxes, option-stripping routers, and paths
 * through emulated wires. Addresses come only from 198.18.0.0/15 and 2001:db8::/32. Every namespace
 * has a unique name; {@link #close()} kills the processes this testbed started (by PID) and deletes
 * what it created. Needs root (CAP_NET_ADMIN), iproute2, nftables, python3, openssl and ethtool.
 *
 * <p>The parts: {@link Topology} (namespaces, links, routes, nftables), {@link TestbedProcesses}
 * (servers, emulators, captures), {@link HttpServers}, {@link Behaviour} and {@link PathTruth} (the
 * ground truth), {@link TestbedState} (what another process needs to remove it).
 */
public final class Testbed implements AutoCloseable {
    /** The prober's IPv4 address on its interface. */
    public static final String PROBER_IPV4 = "198.18.0.1";

    /** The prober's IPv6 address on its interface. */
    public static final String PROBER_IPV6 = "2001:db8:0:ffff::1";

    /**
     * Delay of MPTCP segments toward the {@link Behaviour#CLEAN_PATH} hosts, on the emulated link
     * in front of them: MPTCP connects there take this much longer than TCP ones.
     */
    public static final int CLEAN_PATH_MPTCP_DELAY_MS = 40;

    /** Delay of every frame coming back from the {@link Behaviour#CLEAN_PATH} hosts. */
    public static final int CLEAN_PATH_UP_DELAY_MS = 20;

    /** The key the rewriting router of {@link Behaviour#REWRITE_PATH} writes into v0 probes. */
    public static final long REWRITTEN_PATH_KEY = 0x1111222233334444L;

    /** The body of every testbed HTTP(S) answer, in bytes. */
    public static final int HTTP_BODY_BYTES = HttpServers.BODY_BYTES;

    /** The nftables table of the mirroring router of {@link Behaviour#MIRROR_PATH}. */
    private static final String MIRROR_TABLE = "mirror";

    private final Path workDir;
    private final TestbedProcesses processes;
    private final Topology net;
    private final HttpServers servers;

    /** The address (by behaviour and IP version) of the hop that changes the probes. */
    private final Map<String, String> hops = new HashMap<>();

    private String proberInterface;
    private String routerMac;
    private String mirrorRouter;

    private Testbed(String prefix, Path workDir) {
        this.workDir = workDir;
        this.processes = new TestbedProcesses(workDir);
        this.net = new Topology(prefix, workDir, processes);
        this.servers = new HttpServers(workDir, processes);
    }

    /** Builds the testbed, its files in a new temporary directory. */
    public static Testbed start() throws IOException {
        return start(Files.createTempDirectory("mpcensus-testbed-"));
    }

    /**
     * Builds the testbed, its files (certificate, server program, logs) in {@code directory}, made
     * when missing; on any failure it removes what it built and rethrows.
     */
    public static Testbed start(Path directory) throws IOException {
        String prefix =
                "mpc" + String.format(Locale.ROOT, "%04x", new SplittableRandom().nextInt(1 << 16));
        Testbed t = new Testbed(prefix, Files.createDirectories(directory));
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
        return net.namespaces();
    }

    /** The router namespace (first hop), e.g. for captures. */
    public String routerNamespace() {
        return net.name("r1");
    }

    /** The router's interface facing the prober. */
    public String routerUplink() {
        return "uplink";
    }

    /** Runs a command inside a namespace and returns its output. */
    public String in(String namespace, String... command) throws IOException {
        return Shell.in(namespace, command);
    }

    /**
     * Starts tcpdump in the first router on its interface facing the prober, writing every TCP
     * segment to a pcap file, and returns once it listens. Stopped by {@link #stopCaptures()}.
     */
    public void startCapture(Path file) throws IOException {
        processes.startCapture(routerNamespace(), routerUplink(), file);
    }

    /** Stops the captures (SIGTERM) and waits until their files are complete. */
    public void stopCaptures() throws InterruptedException {
        processes.stopCaptures();
    }

    /**
     * The address of the router that changes the probes to a behaviour's hosts (the hop its {@link
     * Behaviour#path} names), or the host itself when the host's answer is what is wrong; null when
     * nothing on the path changes them.
     */
    public String hopAddress(Behaviour b, int ipVersion, String host) {
        return b == Behaviour.EMULATED_MIRROR ? host : hops.get(b + "|" + ipVersion);
    }

    /**
     * How many SYN-ACKs the mirroring router of {@link Behaviour#MIRROR_PATH} has rewritten (its
     * nftables rule's counter).
     */
    public long mirroredSynAcks() throws IOException {
        String table =
                Shell.in(mirrorRouter, "nft", "list", "table", "inet", "mpcensus_" + MIRROR_TABLE);
        var m = java.util.regex.Pattern.compile("counter packets (\\d+)").matcher(table);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /**
     * Writes what {@link #tearDown(Path)} needs to remove this testbed from another process. The
     * testbed keeps running after this JVM ends.
     */
    public void save(Path stateFile) throws IOException {
        state().save(stateFile);
    }

    /**
     * Removes a testbed saved with {@link #save(Path)}: ends the processes it started (by PID, only
     * when the PID still names the same process), deletes its interface, namespaces and files.
     */
    public static void tearDown(Path stateFile) throws IOException {
        TestbedState.read(stateFile).remove();
        Files.deleteIfExists(stateFile);
    }

    /** Kills the processes it started (by PID), deletes its namespaces, interface and files. */
    @Override
    public void close() {
        processes.killAll();
        state().remove();
    }

    private TestbedState state() {
        List<TestbedState.Started> started = new ArrayList<>();
        for (Process p : processes.all()) {
            started.add(TestbedState.Started.of(p.toHandle()));
        }
        return new TestbedState(
                TestbedState.NOTE, proberInterface, started, net.namespaces(), workDir.toString());
    }

    private void build() throws IOException {
        String r1 = net.ns("r1");
        String r2 = net.ns("r2");
        proberInterface = net.prefix() + "p";
        routerMac = net.uplink(r1, proberInterface, PROBER_IPV4, PROBER_IPV6);
        servers.prepare();
        int link = 1;
        String v1 = host(r1, link++, "v1", Behaviour.KERNEL_MPTCP_V1, "262");
        net.ipv6Hosts(r1, v1, 1, Behaviour.KERNEL_MPTCP_V1.v6Prefix);
        String plain = host(r1, link++, "plain", Behaviour.PLAIN_TCP, "6");
        net.ipv6Hosts(r1, plain, 2, Behaviour.PLAIN_TCP.v6Prefix);
        in(plain, "ip", "route", "add", "local", Behaviour.BLOCKLISTED.cidr, "dev", "lo");
        in(r1, "ip", "route", "add", Behaviour.BLOCKLISTED.cidr, "via", "198.18.0." + (4 * 2 + 2));
        host(r1, link++, "closed", Behaviour.CLOSED, null);
        in(r1, "ip", "route", "add", "blackhole", Behaviour.SILENT.cidr);

        String emu = net.ns("emu");
        String emuAddr = net.link(r1, emu, link++);
        for (Behaviour b :
                List.of(
                        Behaviour.EMULATED_V0,
                        Behaviour.EMULATED_MIRROR,
                        Behaviour.EMULATED_KEY_REWRITER)) {
            in(r1, "ip", "route", "add", b.cidr, "via", emuAddr);
        }
        processes.startJava(
                emu,
                ReplyEmulator.class,
                List.of(
                        "eth0",
                        "v0=" + Behaviour.EMULATED_V0.cidr,
                        "mirror=" + Behaviour.EMULATED_MIRROR.cidr,
                        "rewriter=" + Behaviour.EMULATED_KEY_REWRITER.cidr));

        // r1 <-> r2, which strips MPTCP options as they arrive (so its own quotes show the
        // change), <-> real MPTCPv1 hosts
        String r2Addr = net.link(r1, r2, link);
        String r2Addr6 = net.link6(r1, r2, link++);
        net.router(r2);
        hops.put(Behaviour.STRIPPED_PATH + "|4", r2Addr);
        hops.put(Behaviour.STRIPPED_PATH + "|6", r2Addr6);
        net.route(r1, Behaviour.STRIPPED_PATH, r2Addr, r2Addr6);
        String far = net.ns("far");
        String farAddr = net.link(r2, far, link);
        String farAddr6 = net.link6(r2, far, link++);
        net.route(r2, Behaviour.STRIPPED_PATH, farAddr, farAddr6);
        net.local(far, Behaviour.STRIPPED_PATH);
        servers.listen(far, "262");
        net.nft(r2, "strip", "tcp option mptcp exists reset tcp option mptcp");

        // r1 <-> c2 <-> c3 <-> real MPTCPv1 hosts: a clean path of three routers, the last link
        // an emulated wire that delays MPTCP segments down and every frame up
        String c2 = net.ns("c2");
        String c3 = net.ns("c3");
        String cleanHost = net.ns("clean");
        net.wire(cleanHost, CLEAN_PATH_MPTCP_DELAY_MS, CLEAN_PATH_UP_DELAY_MS, 0);
        net.chain(r1, List.of(c2, c3, cleanHost), Behaviour.CLEAN_PATH, link);
        link += 3;
        net.local(cleanHost, Behaviour.CLEAN_PATH);
        servers.listen(cleanHost, "262");

        // r1 <-> q2, an RFC 792 router (8-byte quotes, EMULATED) that also strips MPTCP options,
        // <-> real MPTCPv1 hosts
        String q2 = net.ns("q2");
        String q8Host = net.ns("q8");
        String q2Addr = net.chain(r1, List.of(q2, q8Host), Behaviour.QUOTE8_PATH, link).get(0);
        link += 2;
        hops.put(Behaviour.QUOTE8_PATH + "|4", q2Addr);
        net.local(q8Host, Behaviour.QUOTE8_PATH);
        servers.listen(q8Host, "262");
        net.nft(q2, "quote8", "ip ttl 1 drop", "tcp option mptcp exists reset tcp option mptcp");
        processes.startJava(q2, QuoteEmulator.class, List.of("eth0", q2Addr));

        // r1 <-> p2, whose filter rejects the range as administratively prohibited (p3, behind
        // it, never sees a probe)
        String p2 = net.ns("p2");
        String behindP2 = net.ns("p3");
        net.chain(r1, List.of(p2, behindP2), Behaviour.PROHIBITED_PATH, link);
        link += 2;
        net.load(
                p2,
                "prohibit.nft",
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

        // r1 <-> w2 <-> w3, which rewrites the key of v0 MP_CAPABLE as it arrives, <-> EMULATED
        // v0 hosts (the emulator ignores the TCP checksum that nftables leaves stale)
        String w2 = net.ns("w2");
        String w3 = net.ns("w3");
        String rwHost = net.ns("rw");
        String w3Addr = net.chain(r1, List.of(w2, w3, rwHost), Behaviour.REWRITE_PATH, link).get(1);
        link += 3;
        hops.put(Behaviour.REWRITE_PATH + "|4", w3Addr);
        // Our probes carry MSS first, then MP_CAPABLE: option kind 30 and length 12 at TCP bytes
        // 24 and 25, the v0 key at bytes 28 to 35.
        net.nft(
                w3,
                "rewrite",
                "tcp flags & (syn | ack) == syn @th,192,16 0x1e0c @th,224,64 set 0x"
                        + Long.toHexString(REWRITTEN_PATH_KEY));
        processes.startJava(
                rwHost, ReplyEmulator.class, List.of("eth0", "v0=" + Behaviour.REWRITE_PATH.cidr));
        link += 3;

        // r1 <-> m2, which writes the MP_CAPABLE a Linux client's SYN carries into the SYN-ACKs
        // of the connections whose SYN carried one (a mirroring middlebox), <-> plain TCP hosts
        // without timestamps (so that the SYN-ACK's options to a Linux SYN are MSS, NOP, NOP,
        // SACK_PERM, NOP, WS; the prober's SYN asks for neither SACK nor window scaling, so its
        // SYN-ACKs carry MSS alone and pass)
        String m2 = net.ns("m2");
        String mirrorHost = net.ns("mh");
        // the link from r1 to m2 loses the first data segment of every connection (in front of
        // m2, so that m2's interface puts a whole checksum on the SYN-ACKs it rewrote)
        net.wire(m2, 0, 0, 1);
        net.chain(r1, List.of(m2, mirrorHost), Behaviour.MIRROR_PATH, link);
        net.local(mirrorHost, Behaviour.MIRROR_PATH);
        in(mirrorHost, "sysctl", "-qw", "net.ipv4.tcp_timestamps=0");
        servers.listen(mirrorHost, "6");
        net.nft(
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
        processes.awaitListening();
    }

    /** A namespace behind r1 with anyIP for a behaviour's range and, unless closed, a listener. */
    private String host(String r1, int link, String name, Behaviour b, String protocol)
            throws IOException {
        String n = net.ns(name);
        String addr = net.link(r1, n, link);
        in(r1, "ip", "route", "add", b.cidr, "via", addr);
        in(n, "ip", "route", "add", "local", b.cidr, "dev", "lo");
        if (protocol != null) {
            servers.listen(n, protocol);
        }
        return n;
    }
}
