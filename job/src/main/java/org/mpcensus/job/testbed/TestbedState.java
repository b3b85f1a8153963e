package org.mpcensus.job.testbed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What another process needs to remove a testbed (JSON): the processes it started, each by PID and
 * start time (so that a PID reused by another program is left alone), its namespaces, its interface
 * in the calling namespace and its directory.
 *
 * @param note what the file is
 * @param interfaceName the prober's interface
 * @param processes the processes started
 * @param namespaces the namespaces created
 * @param directory the testbed's files (certificate, server program, logs)
 */
public record TestbedState(
        String note,
        String interfaceName,
        List<Started> processes,
        List<String> namespaces,
        String directory) {

    /** A process started, as its PID and its start time ({@code -} when unknown). */
    public record Started(long pid, String started) {
        static Started of(ProcessHandle h) {
            return new Started(h.pid(), h.info().startInstant().map(Object::toString).orElse("-"));
        }

        /** Whether the PID still names the process started then. */
        boolean alive() {
            return ProcessHandle.of(pid).filter(h -> of(h).started().equals(started)).isPresent();
        }
    }

    static final String NOTE = "mpcensus testbed state; remove with: mpcensus testbed down";

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Writes the state. */
    void save(Path file) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(this) + "\n", StandardCharsets.UTF_8);
    }

    /**
     * Reads a state file: JSON, or the line form of earlier versions ({@code interface X}, {@code
     * pid N START}, {@code netns N}, {@code workdir D}).
     *
     * @throws IOException when it is neither
     */
    static TestbedState read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.stripLeading().startsWith("{")) {
            return JSON.readValue(text, TestbedState.class);
        }
        String iface = null;
        String dir = null;
        List<Started> pids = new ArrayList<>();
        List<String> netns = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "interface" -> iface = f[1];
                case "pid" -> pids.add(new Started(Long.parseLong(f[1]), f[2]));
                case "netns" -> netns.add(f[1]);
                case "workdir" -> dir = line.substring("workdir ".length());
                case "#", "" -> {}
                default -> throw new IOException(file + " is not a testbed state: " + line);
            }
        }
        return new TestbedState(NOTE, iface, pids, netns, dir);
    }

    /**
     * Removes what the state names: ends its processes (only those whose PID still names them),
     * deletes its interface, namespaces and directory; what is gone already is skipped.
     */
    void remove() {
        for (Started p : processes) {
            if (p.alive()) {
                ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        List<List<String>> commands = new ArrayList<>();
        if (interfaceName != null) {
            commands.add(List.of("ip", "link", "del", interfaceName));
        }
        for (String n : namespaces) {
            commands.add(List.of("ip", "netns", "del", n));
        }
        for (List<String> c : commands) {
            try {
                Shell.run(c);
            } catch (IOException ignored) {
                // already gone
            }
        }
        if (directory != null) {
            deleteDirectory(new File(directory));
        }
    }

    /** Deletes a directory of plain files (the testbed writes no subdirectories). */
    static void deleteDirectory(File dir) {
        File[] files = dir.listFiles();
        if (files != null) {
            for (File f : files) {
                f.delete();
            }
        }
        dir.delete();
    }
}
