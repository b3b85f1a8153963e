package org.mpcensus.job.testbed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the testbed's commands ({@code ip}, {@code nft}, {@code sysctl}, ...), here or in a
 * namespace.
 */
public final class Shell {
    private Shell() {}

    /** Runs a command in the calling namespace and returns its output. */
    public static String sh(String... command) throws IOException {
        return run(List.of(command));
    }

    /** Runs a command inside a namespace and returns its output. */
    static String in(String namespace, String... command) throws IOException {
        return run(inNamespace(namespace, List.of(command)));
    }

    /** The command line that runs {@code command} inside a namespace. */
    static List<String> inNamespace(String namespace, List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(command);
        return full;
    }

    /**
     * Runs a command to its end (30 s at most).
     *
     * @throws IOException naming the command and its output when it fails or times out
     */
    public static String run(List<String> command) throws IOException {
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
}
