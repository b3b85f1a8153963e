package org.mpcensus.job.testbed;

import static org.mpcensus.job.testbed.Shell.in;
import static org.mpcensus.job.testbed.Shell.sh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mpcensus.probe.testbed.DelayEmulator;

/**
 * The testbed's network: namespaces of unique names, veth links between them addressed from
 * 198.18.0.0/24 (a /30 per link) and 2001:db8:0:f0kk::/64, routes, anyIP ranges and nftables
 * tables. What it creates is listed so that it can be removed.
 */
final class Topology {
    private final String prefix;
    private final Path workDir;
    private final TestbedProcesses processes;
    private final List<String> namespaces = new ArrayList<>();

    /**
     * Delays (down MPTCP, up, in ms) and whether the first data segment down is lost (1), of the
     * emulated wires, by the namespace below them.
     */
    private final Map<String, List<Integer>> wires = new HashMap<>();

    Topology(String prefix, Path workDir, TestbedProcesses processes) {
        this.prefix = prefix;
        this.workDir = workDir;
        this.processes = processes;
    }

    /** What every name of this testbed starts with. */
    String prefix() {
        return prefix;
    }

    /** The namespaces created, in order. */
    List<String> namespaces() {
        return List.copyOf(namespaces);
    }

    /** The full name of a namespace of this testbed. */
    String name(String shortName) {
        return prefix + "-" + shortName;
    }

    /** Creates a namespace whose ICMP is not rate-limited (every hop must answer a path probe). */
    String ns(String shortName) throws IOException {
        String n = name(shortName);
        sh("ip", "netns", "add", n);
        namespaces.add(n);
        in(n, "sysctl", "-qw", "net.ipv4.icmp_ratelimit=0");
        in(n, "sysctl", "-qw", "net.ipv6.icmp.ratelimit=0");
        in(n, "sysctl", "-qw", "net.ipv4.icmp_msgs_per_sec=100000");
        return n;
    }

    /** Puts an emulated wire in front of a namespace: delays (down MPTCP, up) and loss (1 or 0). */
    void wire(String below, int downMptcpMs, int upMs, int loseFirstData) {
        wires.put(below, List.of(downMptcpMs, upMs, loseFirstData));
    }

    /**
     * Creates the prober's interface in the calling namespace and its link to the first router
     * ({@code uplink} there), IPv4 (the prober's /30) and IPv6 (a /64), routes the testbed's ranges
     * through the router, and returns the router's MAC.
     */
    String uplink(String r1, String proberInterface, String proberIpv4, String proberIpv6)
            throws IOException {
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
        sh("ip", "addr", "add", proberIpv4 + "/30", "dev", proberInterface);
        sh("ip", "link", "set", "dev", proberInterface, "up");
        in(r1, "ip", "addr", "add", "198.18.0.2/30", "dev", "uplink");
        in(r1, "ip", "link", "set", "dev", "uplink", "up");
        in(r1, "ip", "link", "set", "dev", "lo", "up");
        in(r1, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        sh("ip", "route", "add", "198.18.0.0/20", "via", "198.18.0.2", "dev", proberInterface);
        sh("ip", "-6", "addr", "add", proberIpv6 + "/64", "dev", proberInterface, "nodad");
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
        String routerMac = in(r1, "cat", "/sys/class/net/uplink/address").trim();
        // The router in the neighbour table for good, so that a prober finds its MAC itself
        // (--interface auto --source-ip auto, no --gateway-mac); it goes with the interface.
        for (String router : List.of("198.18.0.2", "2001:db8:0:ffff::2")) {
            sh(
                    "ip",
                    "neigh",
                    "replace",
                    router,
                    "lladdr",
                    routerMac,
                    "dev",
                    proberInterface,
                    "nud",
                    "permanent");
        }
        return routerMac;
    }

    /** Turns on forwarding, as a router of the testbed. */
    void router(String n) throws IOException {
        in(n, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        in(n, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
    }

    /**
     * Joins {@code upper} (a router) and {@code lower} with a /30: 198.18.0.(4k+1) on the router,
     * (4k+2) below, with a default route up. Returns the lower address.
     */
    String link(String upper, String lower, int k) throws IOException {
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
     * Joins {@code upper} to {@code lower} with IPv6 too: 2001:db8:0:f0kk::1 on the upper side, ::2
     * below, a default route up. Returns the lower address.
     */
    String link6(String upper, String lower, int k) throws IOException {
        String net = String.format(Locale.ROOT, "2001:db8:0:f0%02x::", k);
        in(upper, "ip", "-6", "addr", "add", net + "1/64", "dev", "l" + k, "nodad");
        in(lower, "ip", "-6", "addr", "add", net + "2/64", "dev", "eth0", "nodad");
        in(lower, "ip", "-6", "route", "add", "default", "via", net + "1");
        return net + "2";
    }

    /**
     * Joins {@code upper} to {@code lower} like {@link #link} through a {@link DelayEmulator} in a
     * namespace of its own, with the wire's delays and loss.
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
        processes.startJava(
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

    /** Gives a host namespace on link {@code k} IPv6: a /64 of anyIP hosts routed from r1. */
    void ipv6Hosts(String r1, String host, int k, String v6Prefix) throws IOException {
        String up = "2001:db8:0:f00" + k + "::1";
        String down = "2001:db8:0:f00" + k + "::2";
        in(r1, "ip", "-6", "addr", "add", up + "/64", "dev", "l" + k, "nodad");
        in(host, "ip", "-6", "addr", "add", down + "/64", "dev", "eth0", "nodad");
        in(host, "ip", "-6", "route", "add", "default", "via", up);
        in(host, "ip", "-6", "route", "add", "local", v6Prefix + "/64", "dev", "lo");
        in(r1, "ip", "-6", "route", "add", v6Prefix + "/64", "via", down);
    }

    /** Routes a behaviour's IPv4 range (and IPv6 /64, if any) from a router to a next hop. */
    void route(String from, Behaviour b, String via, String via6) throws IOException {
        in(from, "ip", "route", "add", b.cidr, "via", via);
        if (b.v6Prefix != null && via6 != null) {
            in(from, "ip", "-6", "route", "add", b.v6Prefix + "/64", "via", via6);
        }
    }

    /** Makes a behaviour's addresses local (anyIP) in a host namespace. */
    void local(String host, Behaviour b) throws IOException {
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
    List<String> chain(String first, List<String> chain, Behaviour b, int k) throws IOException {
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
    void nft(String n, String name, String... rules) throws IOException {
        StringBuilder t = new StringBuilder();
        t.append("table inet mpcensus_").append(name).append(" {\n");
        t.append("  chain prerouting {\n");
        t.append("    type filter hook prerouting priority -150; policy accept;\n");
        for (String r : rules) {
            t.append("    ").append(r).append('\n');
        }
        t.append("  }\n}\n");
        load(n, n + "-" + name + ".nft", t.toString());
    }

    /** Loads an nftables file into a namespace. */
    void load(String n, String fileName, String ruleset) throws IOException {
        Path file = workDir.resolve(fileName);
        Files.writeString(file, ruleset);
        in(n, "nft", "-f", file.toString());
    }

    /** Deletes every namespace created (their interfaces go with them). */
    void remove() {
        for (String n : namespaces) {
            try {
                sh("ip", "netns", "del", n);
            } catch (IOException ignored) {
                // already gone
            }
        }
    }
}
