package org.mpcensus.probe.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the real captures and tables of {@code shared/data} (see its PROVENANCE.md), which lives
 * beside the project's root, from whatever module directory a test runs in.
 */
public final class SharedData {
    private SharedData() {}

    /** The path of a file below {@code shared/data}, e.g. {@code ptcpdump/mptcp.pcap}. */
    public static Path file(String relative) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolveSibling("shared").resolve("data");
            if (Files.isRegularFile(candidate.resolve("PROVENANCE.md"))) {
                Path f = candidate.resolve(relative);
                if (!Files.exists(f)) {
                    throw new IllegalStateException("no " + f);
                }
                return f;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException(
                "shared/data not found beside any parent of " + Path.of("").toAbsolutePath());
    }
}
