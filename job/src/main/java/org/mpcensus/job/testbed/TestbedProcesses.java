package org.mpcensus.job.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The processes a testbed starts in its namespaces (servers, emulators, captures), each with a log
 * in the testbed's directory; ended by their handles, so nothing else.
 */
final class TestbedProcesses {
    private final Path workDir;
    private final List<Process> all = new ArrayList<>();
    private final List<Process> captures = new ArrayList<>();

    TestbedProcesses(Path workDir) {
        this.workDir = workDir;
    }

    /** Every process started, in order. */
    List<Process> all() {
        return List.copyOf(all);
    }

    /** Starts a command in a namespace, its output to a log of its own. */
    void start(String namespace, List<String> command) throws IOException {
        Process p =
                new ProcessBuilder(Shell.inNamespace(namespace, command))
                        .redirectErrorStream(true)
                        .redirectOutput(
                                workDir.resolve(namespace + "-" + all.size() + ".log").toFile())
                        .start();
        all.add(p);
    }

    /** Starts a class of ours in a namespace, on this JVM's class path. */
    void startJava(String namespace, Class<?> main, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        start(namespace, command);
    }

    /**
     * Waits until every server and emulator says it listens (30 s at most).
     *
     * @throws IOException when one ends first, or after 30 s
     */
    void awaitListening() throws IOException {
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
            for (Process p : all) {
                if (!p.isAlive()) {
                    throw new IOException(
                            "a testbed process ended early: " + p.info().commandLine().orElse("?"));
                }
            }
            if (ready) {
                return;
            }
            pause(100);
        }
        throw new IOException(
                "testbed listeners and emulator did not start within 30 s (logs in "
                        + workDir
                        + ")");
    }

    /**
     * Starts tcpdump in a namespace on an interface, writing every TCP segment to a pcap file, and
     * returns once it listens.
     */
    void startCapture(String namespace, String device, Path file) throws IOException {
        Path log = workDir.resolve("tcpdump-" + captures.size() + ".log");
        Process p =
                new ProcessBuilder(
                                Shell.inNamespace(
                                        namespace,
                                        List.of(
                                                "tcpdump",
                                                "-i",
                                                device,
                                                "-U",
                                                "-n",
                                                "-s",
                                                "128",
                                                "-B",
                                                "32768",
                                                "-w",
                                                file.toString(),
                                                "tcp")))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        all.add(p);
        captures.add(p);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains("listening on")) {
                return;
            }
            if (!p.isAlive()) {
                throw new IOException("tcpdump ended: " + Files.readString(log));
            }
            pause(50);
        }
        throw new IOException("tcpdump did not start");
    }

    /** Stops the captures (SIGTERM) and waits until their files are complete. */
    void stopCaptures() throws InterruptedException {
        for (Process p : captures) {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        captures.clear();
    }

    /** Kills every process started (and what it started), by handle. */
    void killAll() {
        for (Process p : all) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void pause(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
