package org.mpcensus.job.sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.mpcensus.job.schema.InputRow;
import org.mpcensus.job.schema.LedgerTables;

/**
 * The files a census holds, by content ({@code census_inputs}). A bounded replay reads only the
 * files whose content no committed run of the census read (and each content once, whatever its
 * names), and records the files it read in its staged tables, so that they become part of the
 * census when, and only when, the run commits. Sizes are compared first: a file whose size no
 * recorded file has is read at once, and its SHA-256 computed while the run reads it.
 */
public final class InputLedger {
    private final Map<Path, Long> toRead;
    private final Map<Path, String> hashed;
    private final List<String> skipped;

    private final String command;

    private final List<Path> special;

    private InputLedger(
            Map<Path, Long> toRead,
            List<Path> special,
            Map<Path, String> hashed,
            List<String> skipped,
            String command) {
        this.toRead = toRead;
        this.special = special;
        this.hashed = hashed;
        this.skipped = skipped;
        this.command = command;
    }

    /**
     * Plans a replay of {@code inputs} (files and directories) into a census.
     *
     * @param census the census as it is before the run (a bounded run's staged copy)
     * @param reapply whether files the census holds are read again
     */
    public static InputLedger plan(
            CensusDatabase census, List<String> inputs, boolean reapply, String command)
            throws IOException, SQLException {
        List<String> problems = new ArrayList<>();
        Map<Path, Long> files = new LinkedHashMap<>();
        List<Path> special = new ArrayList<>();
        for (Path f : files(inputs, problems)) {
            if (Files.isRegularFile(f)) {
                files.putIfAbsent(f, Files.size(f));
            } else if (!special.contains(f)) {
                // Never hashed (a FIFO would never end) nor recorded: read to its dead letter.
                special.add(f);
            }
        }
        Map<String, InputRow> known = reapply ? Map.of() : known(census, files.values(), command);
        Set<Long> knownSizes = new HashSet<>();
        known.values().forEach(r -> knownSizes.add(r.bytes()));
        Map<Path, Long> toRead = new LinkedHashMap<>();
        Map<Path, String> hashed = new HashMap<>();
        // The files to read per size; a second file of a size hashes them, once each.
        Map<Long, List<Path>> readOfSize = new HashMap<>();
        Map<String, Path> planned = new HashMap<>();
        List<String> skipped = new ArrayList<>(problems);
        for (Map.Entry<Path, Long> f : files.entrySet()) {
            long size = f.getValue();
            List<Path> sameSize = readOfSize.computeIfAbsent(size, k -> new ArrayList<>());
            if (!knownSizes.contains(size) && sameSize.isEmpty()) {
                toRead.put(f.getKey(), size);
                sameSize.add(f.getKey());
                continue;
            }
            for (Path other : sameSize) {
                planned.putIfAbsent(hashed.computeIfAbsent(other, InputLedger::sha256), other);
            }
            String sha = hashed.computeIfAbsent(f.getKey(), InputLedger::sha256);
            InputRow held = known.get(sha);
            if (held != null) {
                skipped.add(
                        "skipped "
                                + f.getKey()
                                + ": the census holds its content already (read as "
                                + held.path()
                                + " by run "
                                + held.runId()
                                + "); --reapply reads it again");
                continue;
            }
            Path twin = planned.get(sha);
            if (twin != null && !reapply) {
                skipped.add("skipped " + f.getKey() + ": the same content as " + twin);
                continue;
            }
            planned.putIfAbsent(sha, f.getKey());
            toRead.put(f.getKey(), size);
            sameSize.add(f.getKey());
        }
        return new InputLedger(toRead, special, hashed, skipped, command);
    }

    /** The files to read, as paths for the archive source. */
    public List<String> toRead() {
        List<String> out = new ArrayList<>();
        toRead.keySet().forEach(p -> out.add(p.toString()));
        special.forEach(p -> out.add(p.toString()));
        return out;
    }

    /** One line per file not read, saying why. */
    public List<String> skipped() {
        return skipped;
    }

    /**
     * Starts hashing the files to read that are not hashed yet, on a thread of its own, while the
     * run reads them.
     */
    public CompletableFuture<List<InputRow>> rows(String runId, long startedMicros) {
        return CompletableFuture.supplyAsync(
                () -> {
                    List<InputRow> rows = new ArrayList<>();
                    for (Map.Entry<Path, Long> e : toRead.entrySet()) {
                        String sha = hashed.computeIfAbsent(e.getKey(), InputLedger::sha256);
                        String path = e.getKey().toString();
                        rows.add(
                                new InputRow(
                                        sha,
                                        e.getValue(),
                                        path.length() > 4096
                                                ? path.substring(path.length() - 4096)
                                                : path,
                                        command,
                                        runId,
                                        startedMicros));
                    }
                    return rows;
                });
    }

    /** Records rows in the run's staged tables. */
    public static void record(CensusDatabase staged, List<InputRow> rows) throws SQLException {
        try (Connection c = staged.connect();
                PreparedStatement ps = c.prepareStatement(LedgerTables.INPUTS.upsert(1))) {
            for (InputRow r : rows) {
                LedgerTables.INPUTS.bind(ps, 1, r);
                ps.executeUpdate();
            }
        }
    }

    /** The recorded files whose size is one of {@code sizes}, by SHA-256. */
    private static Map<String, InputRow> known(
            CensusDatabase census, Iterable<Long> sizes, String command) throws SQLException {
        Map<String, InputRow> out = new HashMap<>();
        try (Connection c = census.connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT sha256, bytes, path, run_id FROM "
                                        + LedgerTables.INPUTS.name()
                                        + " WHERE bytes = ? AND command = ?")) {
            for (Long size : new java.util.TreeSet<Long>(toList(sizes))) {
                ps.setLong(1, size);
                ps.setString(2, command);
                try (ResultSet r = ps.executeQuery()) {
                    while (r.next()) {
                        out.put(
                                r.getString(1),
                                new InputRow(
                                        r.getString(1),
                                        r.getLong(2),
                                        r.getString(3),
                                        command,
                                        r.getString(4),
                                        -1));
                    }
                }
            }
        }
        return out;
    }

    private static List<Long> toList(Iterable<Long> values) {
        List<Long> out = new ArrayList<>();
        values.forEach(out::add);
        return out;
    }

    /**
     * The files of a run's inputs as the archive source reads them: a directory's files recursively
     * (through symbolic links), in name order, without names that start with '.' or '_'. What
     * cannot be read as a file (a symbolic link to nothing, a loop of links, a FIFO or device, a
     * directory that cannot be listed) is left out, with a line in {@code problems}.
     */
    public static List<Path> files(List<String> inputs, List<String> problems) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String input : inputs) {
            Path root = Path.of(input).toAbsolutePath().normalize();
            if (!Files.isDirectory(root)) {
                out.add(root);
                continue;
            }
            List<Path> found = new ArrayList<>();
            Files.walkFileTree(
                    root,
                    EnumSet.of(FileVisitOption.FOLLOW_LINKS),
                    Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(
                                Path dir, BasicFileAttributes attrs) {
                            return dir.equals(root) || visible(dir)
                                    ? FileVisitResult.CONTINUE
                                    : FileVisitResult.SKIP_SUBTREE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (!visible(file)) {
                                return FileVisitResult.CONTINUE;
                            }
                            if (attrs.isSymbolicLink()) {
                                problems.add("skipped " + file + ": a symbolic link to nothing");
                            } else {
                                // A FIFO or device too: the archive source keeps it as a dead
                                // letter (not a regular file).
                                found.add(file);
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            problems.add(
                                    "skipped "
                                            + file
                                            + (e instanceof FileSystemLoopException
                                                    ? ": a loop of symbolic links"
                                                    : ": cannot be read ("
                                                            + e.getClass().getSimpleName()
                                                            + ")"));
                            return FileVisitResult.CONTINUE;
                        }
                    });
            found.sort(null);
            out.addAll(found);
        }
        return out;
    }

    private static boolean visible(Path file) {
        String name = file.getFileName().toString();
        return !name.startsWith(".") && !name.startsWith("_");
    }

    /** The SHA-256 of a file's content, in hex. */
    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
