package org.mpcensus.job.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What building a {@link Testbed} needs of this machine. */
public final class TestbedRequirements {
    private TestbedRequirements() {}

    /** The programs the testbed runs, and the Debian package of each. */
    private static final Map<String, String> TOOLS =
            Map.of(
                    "ip", "iproute2",
                    "nft", "nftables",
                    "python3", "python3",
                    "sysctl", "procps",
                    "openssl", "openssl",
                    "ethtool", "ethtool");

    /**
     * What this machine lacks to build the testbed: root, a program (by its Debian package) or
     * kernel MPTCP; empty when nothing is missing.
     */
    public static List<String> missing() {
        List<String> out = new ArrayList<>();
        if (!"root".equals(System.getProperty("user.name"))) {
            out.add("root (it creates network namespaces and interfaces)");
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (var tool : new TreeMap<>(TOOLS).entrySet()) {
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
}
