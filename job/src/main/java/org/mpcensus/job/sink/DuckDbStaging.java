package org.mpcensus.job.sink;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A DuckDB census's staging: a copy of the file in a directory beside it ({@code FILE.run-ID/}),
 * renamed over the file to publish (atomic); the lock is a file beside it ({@code FILE.lock}).
 */
final class DuckDbStaging extends Staging {
    private final Path file;
    private FileChannel lockChannel;
    private FileLock lock;
    private Path lockPath;
    private Path copy;
    private CensusDatabase staged;

    DuckDbStaging(CensusDatabase target) {
        super(target);
        this.file = fileOf(target);
    }

    /** The file of a DuckDB census. */
    static Path fileOf(CensusDatabase db) {
        String path = db.jdbcUrl().substring("jdbc:duckdb:".length());
        int q = path.indexOf('?');
        path = q >= 0 ? path.substring(0, q) : path;
        if (path.isEmpty() || path.equals(":memory:")) {
            throw new IllegalArgumentException("a DuckDB census needs a file: duckdb:PATH");
        }
        return Path.of(path).toAbsolutePath();
    }

    /**
     * Locks the census with a lock file beside it. When released, the file is deleted while still
     * locked, so no run that opened it meanwhile can take a lock that another run takes on a new
     * one.
     */
    @Override
    void lock() throws CensusRun.Refused, IOException {
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            throw new CensusRun.Refused(
                    "no directory " + dir + " for the DuckDB file " + file.getFileName());
        }
        lockPath = file.resolveSibling(file.getFileName() + ".lock");
        FileChannel channel =
                FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held;
        try {
            held = channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            held = null;
        }
        if (held == null) {
            channel.close();
            throw new CensusRun.Refused(
                    "another mpcensus run is writing to " + file + "; wait for it or stop it");
        }
        lockChannel = channel;
        lock = held;
    }

    /** Opens the file once (DuckDB refuses a file another process holds) and checkpoints it. */
    @Override
    void check(boolean mayBeAbsent) throws CensusRun.Refused {
        if (mayBeAbsent && !Files.exists(file)) {
            return;
        }
        try {
            checkpoint(target);
        } catch (IOException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            if (m.contains("lock")) {
                throw new CensusRun.Refused(
                        file
                                + " is open in another program ("
                                + firstLine(m)
                                + "); close it there first");
            }
            throw new CensusRun.Refused(file + " is not a DuckDB census: " + firstLine(m));
        }
    }

    @Override
    CensusDatabase stage(String runId, boolean resume) throws CensusRun.Refused, IOException {
        // In a directory of its own: once that is removed, a writer still running cannot
        // recreate the copy or its write-ahead log.
        copy =
                file.resolveSibling(file.getFileName() + ".run-" + runId)
                        .resolve(file.getFileName());
        if (resume && !Files.exists(copy)) {
            throw new CensusRun.Refused(
                    "the tables staged by the interrupted run ("
                            + copy
                            + ") are gone: run again without --resume");
        }
        if (!resume) {
            removeStaleCopies();
            delete(copy);
            Files.createDirectories(copy.getParent());
            if (Files.exists(file)) {
                Files.copy(file, copy);
            }
        }
        staged = new CensusDatabase(target.dialect(), "jdbc:duckdb:" + copy, null, null);
        createSchema(staged);
        return staged;
    }

    @Override
    void publish() throws IOException {
        // No write-ahead log may stay behind either file: the copy replaces the file whole.
        checkpoint(staged);
        if (Files.exists(file)) {
            checkpoint(target);
        }
        Files.move(copy, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        delete(copy);
    }

    @Override
    void discard() {
        if (copy != null) {
            delete(copy);
        }
    }

    @Override
    public void close() {
        if (lock == null) {
            return;
        }
        try {
            Files.deleteIfExists(lockPath);
        } catch (IOException e) {
            // the lock goes with the channel anyway
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // the process is ending the run anyway
        }
        lock = null;
    }

    private static void checkpoint(CensusDatabase db) throws IOException {
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
        } catch (SQLException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private void removeStaleCopies() throws IOException {
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> dirs =
                Files.newDirectoryStream(file.getParent(), file.getFileName() + ".run-*")) {
            dirs.forEach(stale::add);
        }
        for (Path d : stale) {
            delete(d.resolve(file.getFileName()));
        }
    }

    /**
     * Removes a staged copy: its directory with the copy and its write-ahead log. A writer that is
     * still stopping may recreate its log meanwhile, so this tries for up to two seconds.
     */
    private static void delete(Path copy) {
        Path dir = copy.getParent();
        for (int attempt = 0; attempt < 20 && Files.exists(dir); attempt++) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
