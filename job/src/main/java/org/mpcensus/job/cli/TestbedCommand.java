package org.mpcensus.job.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.mpcensus.job.testbed.Behaviour;
import org.mpcensus.job.testbed.PathTruth;
import org.mpcensus.job.testbed.Testbed;
import org.mpcensus.job.testbed.TestbedRequirements;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mpcensus testbed up|down}: a local network of namespaces to try the prober safely. */
@Command(
        name = "testbed",
        mixinStandardHelpOptions = true,
        description = {
            "Build (up) or remove (down) a network-namespace testbed on this machine: real kernel"
                    + " MPTCPv1 hosts, plain TCP, closed and silent ranges, emulated v0 hosts,"
                    + " mirroring and key-rewriting middleboxes, and an option-stripping router,"
                    + " all in 198.18.0.0/20. Needs root, iproute2, nftables and python3."
        })
public final class TestbedCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "up|down")
    String action;

    @Option(
            names = "--state",
            defaultValue = "/run/mpcensus-testbed.state",
            description = "Where the testbed's state is kept (default: ${DEFAULT-VALUE}).")
    Path state;

    @Override
    public Integer call() throws Exception {
        switch (action) {
            case "up" -> {
                if (Files.exists(state)) {
                    throw new UserError("already up (" + state + "); run: mpcensus testbed down");
                }
                List<String> missing = TestbedRequirements.missing();
                if (!missing.isEmpty()) {
                    throw new UserError("the testbed needs " + String.join(", ", missing));
                }
                // its files (certificate, server program, logs) beside its state, not in /tmp
                Testbed t = Testbed.start(Path.of(state + ".d"));
                t.save(state);
                Path blocklist = Path.of(state + ".blocklist");
                Files.writeString(
                        blocklist,
                        "# the testbed's blocklisted range\n" + Behaviour.BLOCKLISTED.cidr + "\n");
                System.out.println(
                        "testbed up: interface "
                                + t.proberInterface()
                                + ", gateway MAC "
                                + t.routerMac());
                System.out.println();
                System.out.printf(
                        "%-24s %-16s %-16s %-16s %-10s %s%n",
                        "behaviour", "range", "v1 probes", "v0 probes", "HTTP", "path (v1 / v0)");
                for (Behaviour b : Behaviour.values()) {
                    System.out.printf(
                            "%-24s %-16s %-16s %-16s %-10s %s%n",
                            b,
                            b.cidr,
                            b.expectedV1 == null ? "(no reply)" : b.expectedV1,
                            b.expectedV0 == null ? "(no reply)" : b.expectedV0,
                            b.httpMptcp() == null ? "-" : b.httpMptcp() ? "MPTCP" : "fallback",
                            path(b));
                }
                System.out.println();
                Path hitlist = Path.of(state + ".hitlist");
                Files.write(hitlist, Behaviour.ipv6Hitlist());
                System.out.println(
                        "Scan it over IPv4 and IPv6 (the explicit blocklist replaces the IANA"
                                + " ranges, which include 198.18.0.0/15 and 2001:db8::/32; the"
                                + " hitlist holds the IPv6 hosts):");
                System.out.println(
                        "  ./mpcensus probe "
                                + vantage(t)
                                + " --targets "
                                + String.join(",", targets())
                                + " --hitlist "
                                + hitlist
                                + " --rate 2000 --blocklist "
                                + blocklist
                                + " --cooldown '2 s'");
                Path paths = Path.of(state + ".paths");
                List<String> hosts = new java.util.ArrayList<>();
                for (Behaviour b : Behaviour.values()) {
                    hosts.add(b.cidr.substring(0, b.cidr.lastIndexOf('.') + 1) + "1");
                    if (b.v6Prefix != null) {
                        hosts.add(b.v6Prefix + "1");
                    }
                }
                Files.write(paths, hosts);
                System.out.println("Verify the path to one host of each behaviour:");
                System.out.println(
                        "  ./mpcensus verify "
                                + vantage(t)
                                + " --targets "
                                + paths
                                + " --ports 80 --blocklist "
                                + blocklist
                                + " --hop-timeout '300 ms' --max-ttl 8 --silent-hops 3");
                System.out.println(
                        "Time HTTP(S) GETs over MPTCP and TCP to the same hosts (the clean"
                                + " path delays MPTCP segments by "
                                + Testbed.CLEAN_PATH_MPTCP_DELAY_MS
                                + " ms):");
                System.out.println(
                        "  ./mpcensus http-timing --targets "
                                + paths
                                + " --ports 80,443 --runs 3 --timeout '2 s' --blocklist "
                                + blocklist);
                System.out.println("Remove it: ./mpcensus testbed down");
                return 0;
            }
            case "down" -> {
                if (!Files.exists(state)) {
                    throw new UserError("no testbed state at " + state);
                }
                Testbed.tearDown(state);
                Files.deleteIfExists(Path.of(state + ".blocklist"));
                Files.deleteIfExists(Path.of(state + ".hitlist"));
                Files.deleteIfExists(Path.of(state + ".paths"));
                System.out.println("testbed down");
                return 0;
            }
            default -> {
                throw new UserError("up or down, not " + action);
            }
        }
    }

    /** The flags that send from the testbed's prober interface through its first router. */
    private static String vantage(Testbed t) {
        return "--interface "
                + t.proberInterface()
                + " --source-ip "
                + Testbed.PROBER_IPV4
                + ","
                + Testbed.PROBER_IPV6
                + " --gateway-mac "
                + t.routerMac();
    }

    /** What path verification must find for a behaviour, v1 / v0. */
    private static String path(Behaviour b) {
        PathTruth v1 = b.path(1);
        PathTruth v0 = b.path(0);
        if (v1 == null) {
            return "(never probed)";
        }
        return v1.equals(v0) ? text(v1) : text(v1) + " / " + text(v0);
    }

    private static String text(PathTruth t) {
        return t.hop() == 0
                ? t.category().name()
                : t.category() + " hop " + t.hop() + ": " + t.modification();
    }

    /** Every range of the testbed but the blocklisted one, as the probe command's targets. */
    static List<String> targets() {
        List<String> out = new java.util.ArrayList<>();
        for (Behaviour b : Behaviour.values()) {
            if (b != Behaviour.BLOCKLISTED) {
                out.add(b.cidr);
            }
        }
        return out;
    }
}
