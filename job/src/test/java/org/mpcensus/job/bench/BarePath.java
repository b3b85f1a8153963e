package org.mpcensus.job.bench;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import org.mpcensus.job.testbed.Shell;

/**
 * The path a send-rate benchmark sends into: one veth pair, its sender end here with 198.18.200.1,
 * its other end in a namespace of its own with 198.18.200.2, and nothing else: no router, no
 * emulator, no target, no process but the sender competes for the CPU. Frames are counted where
 * they arrive, on the far end's {@code rx_packets}; they go no further (no forwarding, no route to
 * the probed ranges). Created with a unique name, removed by {@link #close()}.
 */
final class BarePath implements AutoCloseable {
    /** The sender's address. */
    static final String SENDER_IPV4 = "198.18.200.1";

    private final String namespace;
    private final String senderInterface;
    private final String farMac;

    private BarePath(String namespace, String senderInterface, String farMac) {
        this.namespace = namespace;
        this.senderInterface = senderInterface;
        this.farMac = farMac;
    }

    /** Creates the namespace and the veth pair. */
    static BarePath create() throws IOException {
        String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
        String ns = "mpcensus-send-" + id;
        String here = "mpcs" + id;
        run("ip", "netns", "add", ns);
        try {
            run("ip", "link", "add", here, "type", "veth", "peer", "name", "far", "netns", ns);
            run("ip", "addr", "add", SENDER_IPV4 + "/24", "dev", here);
            run("ip", "link", "set", here, "up");
            run("ip", "-n", ns, "addr", "add", "198.18.200.2/24", "dev", "far");
            run("ip", "-n", ns, "link", "set", "far", "up");
            // No IPv6 neighbour discovery or router solicitations on the measured link.
            run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.far.disable_ipv6=1");
            run("sysctl", "-qw", "net.ipv6.conf." + here + ".disable_ipv6=1");
            String mac =
                    run("ip", "netns", "exec", ns, "cat", "/sys/class/net/far/address").strip();
            return new BarePath(ns, here, mac);
        } catch (IOException | RuntimeException e) {
            run("ip", "netns", "del", ns);
            throw e;
        }
    }

    /** The sender's interface (in this namespace). */
    String senderInterface() {
        return senderInterface;
    }

    /** The MAC of the far end: the senders' next hop. */
    String farMac() {
        return farMac;
    }

    /** Frames the far end has received. */
    long received() throws IOException {
        return Long.parseLong(
                run(
                                "ip",
                                "netns",
                                "exec",
                                namespace,
                                "cat",
                                "/sys/class/net/far/statistics/rx_packets")
                        .strip());
    }

    /** Drops, in the far namespace, whatever is sent to a range. */
    void blackhole(String range) throws IOException {
        run("ip", "-n", namespace, "route", "add", "blackhole", range);
    }

    /** Removes the namespace, and with it the veth pair. */
    @Override
    public void close() throws IOException {
        run("ip", "netns", "del", namespace);
    }

    private static String run(String... command) throws IOException {
        return Shell.sh(command);
    }
}
