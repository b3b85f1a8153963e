package org.mpcensus.job.sink;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.mpcensus.job.schema.CensusSchema;
import org.mpcensus.job.schema.CensusTable;
import org.mpcensus.job.schema.CensusTables;
import org.mpcensus.job.schema.RunRow;
import org.mpcensus.probe.event.CaptureTime;

/**
 * One run that writes the census, all or nothing. A bounded run (a replay, {@code analyze
 * --until-latest}) writes into a staged copy of the census, never into the census itself: for
 * DuckDB a copy of the file beside it, for PostgreSQL a copy of the tables in a schema of its own.
 * {@link #commit} makes the results visible together, with their {@code census_runs} row: DuckDB by
 * renaming the copy over the file (atomic), PostgreSQL by replacing every table's rows in one
 * transaction. A run that fails or is killed leaves the census exactly as it was; its staged copy
 * is removed, or kept for {@code --resume} when the run checkpoints, and discarded by the next run
 * that does not resume.
 *
 * <p>A continuous run ({@link #direct}) writes the census itself, each checkpoint's rows at once
 * when it checkpoints; it records itself as {@code running} at start.
 *
 * <p>Only one run writes a census at a time: a lock file beside a DuckDB file, an advisory lock in
 * PostgreSQL.
 */
public final class CensusRun implements AutoCloseable {

    /** Why a run cannot start; the message says what to do. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private static final String RUN_ID_FILE = "mpcensus-run";
    private static final String PG_STAGE_PREFIX = "mpcensus_run_";
    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    private final CensusDatabase target;
    private final CensusDatabase staged;
    private final RunRow started;
    private final boolean bounded;
    private final boolean keepStaged;
    private final AutoCloseable lock;
    private final Path stagedFile;
    private final String stagedSchema;
    private final String targetSchema;
    private final Thread onExit;
    private boolean done;

    private CensusRun(
            CensusDatabase target,
            CensusDatabase staged,
            RunRow started,
            boolean bounded,
            boolean keepStaged,
            AutoCloseable lock,
            Path stagedFile,
            String stagedSchema,
            String targetSchema) {
        this.target = target;
        this.staged = staged;
        this.started = started;
        this.bounded = bounded;
        this.keepStaged = keepStaged;
        this.lock = lock;
        this.stagedFile = stagedFile;
        this.stagedSchema = stagedSchema;
        this.targetSchema = targetSchema;
        // Ctrl-C ends the JVM without unwinding the command: remove what was staged then too.
        this.onExit = new Thread(this::abandonQuietly, "mpcensus-run-exit");
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    /**
     * Starts a bounded run: checks that the census can be written (reachable, not locked by another
     * program or run), creates its tables if needed and stages a copy for the run.
     *
     * @param checkpoints the run's checkpoint directory, or null: the staged copy is then kept when
     *     the run fails, and its id is recorded there for {@code --resume}
     * @param resume whether the run resumes an interrupted one from {@code checkpoints}
     * @throws Refused when the census cannot be written, with what to do
     */
    public static CensusRun bounded(
            CensusDatabase target,
            String command,
            String inputs,
            String options,
            Path checkpoints,
            boolean resume)
            throws Refused, IOException {
        String id = runId(checkpoints, resume);
        RunRow row = row(id, command, inputs, options);
        if (target.dialect() == CensusDatabase.Dialect.DUCKDB) {
            Path file = duckDbFile(target);
            AutoCloseable lock = lockFile(file);
            try {
                checkDuckDb(target, true);
                // In a directory of its own: once that is removed, a writer still running
                // cannot recreate the copy or its write-ahead log.
                Path copy =
                        file.resolveSibling(file.getFileName() + ".run-" + id)
                                .resolve(file.getFileName());
                if (!resume) {
                    removeStaleCopies(file);
                }
                if (resume && !Files.exists(copy)) {
                    throw new Refused(
                            "the tables staged by the interrupted run ("
                                    + copy
                                    + ") are gone: run again without --resume");
                }
                if (!resume) {
                    deleteDuckDb(copy);
                    Files.createDirectories(copy.getParent());
                    if (Files.exists(file)) {
                        Files.copy(file, copy);
                    }
                }
                CensusDatabase staged =
                        new CensusDatabase(target.dialect(), "jdbc:duckdb:" + copy, null, null);
                createSchema(staged);
                return new CensusRun(
                        target, staged, row, true, checkpoints != null, lock, copy, null, null);
            } catch (Refused | IOException | RuntimeException e) {
                release(lock);
                throw e;
            }
        }
        Connection session = connectPostgres(target);
        try {
            String schema = currentSchema(session);
            lockPostgres(session, target);
            createSchema(target);
            String stage = PG_STAGE_PREFIX + id.toLowerCase().replace('-', '_');
            try (Statement s = session.createStatement()) {
                if (!resume) {
                    dropStaleSchemas(session);
                }
                boolean exists = schemaExists(session, stage);
                if (resume && !exists) {
                    throw new Refused(
                            "the tables staged by the interrupted run (schema "
                                    + stage
                                    + ") are gone: run again without --resume");
                }
                if (!exists) {
                    session.setAutoCommit(false);
                    s.execute("CREATE SCHEMA " + stage);
                    for (CensusTable<?> t : CensusSchema.withRuns()) {
                        s.execute(
                                "CREATE TABLE "
                                        + stage
                                        + "."
                                        + t.name()
                                        + " (LIKE "
                                        + schema
                                        + "."
                                        + t.name()
                                        + " INCLUDING ALL)");
                        s.execute(
                                "INSERT INTO "
                                        + stage
                                        + "."
                                        + t.name()
                                        + " SELECT * FROM "
                                        + schema
                                        + "."
                                        + t.name());
                    }
                    session.commit();
                    session.setAutoCommit(true);
                }
            }
            String url =
                    target.jdbcUrl()
                            + (target.jdbcUrl().contains("?") ? "&" : "?")
                            + "currentSchema="
                            + stage;
            CensusDatabase staged =
                    new CensusDatabase(target.dialect(), url, target.user(), target.password());
            return new CensusRun(
                    target, staged, row, true, checkpoints != null, session, null, stage, schema);
        } catch (SQLException e) {
            closeQuietly(session);
            throw new IOException("PostgreSQL at " + target + ": " + e.getMessage(), e);
        } catch (Refused | RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    /**
     * Starts a continuous run, which writes the census itself: checks it can be written, creates
     * its tables and records the run as {@code running}.
     */
    public static CensusRun direct(
            CensusDatabase target, String command, String inputs, String options)
            throws Refused, IOException {
        RunRow row = row(runId(null, false), command, inputs, options);
        AutoCloseable lock;
        if (target.dialect() == CensusDatabase.Dialect.DUCKDB) {
            Path file = duckDbFile(target);
            lock = lockFile(file);
            try {
                checkDuckDb(target, false);
            } catch (Refused | RuntimeException e) {
                release(lock);
                throw e;
            }
        } else {
            Connection session = connectPostgres(target);
            try {
                lockPostgres(session, target);
            } catch (Refused | RuntimeException e) {
                closeQuietly(session);
                throw e;
            }
            lock = session;
        }
        try {
            createSchema(target);
            write(target, row);
        } catch (IOException e) {
            release(lock);
            throw e;
        }
        return new CensusRun(target, target, row, false, false, lock, null, null, null);
    }

    /** The database the run's job writes: the staged copy of a bounded run. */
    public CensusDatabase database() {
        return staged.inRun(id());
    }

    /** The run's id, as in {@code census_runs}. */
    public String id() {
        return started.runId();
    }

    /** When the run started, in microseconds since 1970 (UTC). */
    public long startedMicros() {
        return started.startedMicros();
    }

    /**
     * Makes the run's results visible, together with its {@code census_runs} row (status {@code
     * complete}, or {@code stopped} for a continuous run).
     */
    public synchronized void commit(long replies, long deadLetters, long lateReplies)
            throws IOException {
        if (done) {
            throw new IllegalStateException("run " + id() + " has already ended");
        }
        write(staged, ended(bounded ? "complete" : "stopped", replies, deadLetters, lateReplies));
        if (!bounded) {
            finish();
            return;
        }
        if (stagedFile != null) {
            Path file = duckDbFile(target);
            // No write-ahead log may stay behind either file: the copy replaces the file whole.
            checkpointDuckDb(staged);
            if (Files.exists(file)) {
                checkpointDuckDb(target);
            }
            Files.move(
                    stagedFile,
                    file,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            deleteDuckDb(stagedFile);
        } else {
            try (Connection c = connectPostgres(target);
                    Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                for (CensusTable<?> t : CensusSchema.withRuns()) {
                    s.execute("DELETE FROM " + targetSchema + "." + t.name());
                    s.execute(
                            "INSERT INTO "
                                    + targetSchema
                                    + "."
                                    + t.name()
                                    + " SELECT * FROM "
                                    + stagedSchema
                                    + "."
                                    + t.name());
                }
                c.commit();
                c.setAutoCommit(true);
                s.execute("DROP SCHEMA " + stagedSchema + " CASCADE");
            } catch (SQLException | Refused e) {
                throw new IOException("could not publish the run's results: " + e.getMessage(), e);
            }
        }
        finish();
    }

    /**
     * Ends a run that did not complete: a bounded run's staged copy is removed (or kept for {@code
     * --resume} when the run checkpoints) and the census is left as it was; a continuous run is
     * recorded as {@code failed}. Does nothing after {@link #commit}.
     */
    @Override
    public synchronized void close() {
        if (done) {
            return;
        }
        if (!bounded) {
            try {
                write(target, ended("failed", -1, -1, -1));
            } catch (IOException e) {
                // the run's failure is what the user is told about
            }
        } else if (!keepStaged) {
            removeStaged();
        }
        finish();
    }

    /** The run's row as it ends now. */
    private RunRow ended(String status, long replies, long deadLetters, long lateReplies) {
        return new RunRow(
                started.runId(),
                started.command(),
                started.inputs(),
                started.options(),
                started.startedMicros(),
                CaptureTime.toMicros(Instant.now()),
                status,
                replies,
                deadLetters,
                lateReplies);
    }

    private void abandonQuietly() {
        try {
            boolean wasDone;
            synchronized (this) {
                wasDone = done;
            }
            close();
            if (!wasDone) {
                System.err.println(
                        "mpcensus: run "
                                + id()
                                + " interrupted"
                                + (bounded ? "; the census is as it was before it" : ""));
            }
        } catch (RuntimeException e) {
            // the JVM is ending
        }
    }

    private void finish() {
        done = true;
        release(lock);
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException e) {
            // already shutting down: this is the hook
        }
    }

    private void removeStaged() {
        if (stagedFile != null) {
            deleteDuckDb(stagedFile);
        } else {
            try (Connection c = connectPostgres(target);
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + stagedSchema + " CASCADE");
            } catch (SQLException | Refused e) {
                // left for the next run to discard
            }
        }
    }

    /**
     * The checkpoint directory of the bounded run that a checkpoint belongs to: the checkpoint
     * itself or one of its ancestors up to {@code DIR/<job id>/chk-N}, the first that holds a run's
     * id; empty when it belongs to no run started with {@code --checkpoints}.
     */
    public static java.util.Optional<Path> runDirectoryOf(Path checkpoint) {
        Path p = checkpoint.toAbsolutePath().normalize();
        for (int up = 0; up < 3 && p != null; up++, p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(RUN_ID_FILE))) {
                return java.util.Optional.of(p);
            }
        }
        return java.util.Optional.empty();
    }

    private static String runId(Path checkpoints, boolean resume) throws IOException, Refused {
        Path file = checkpoints == null ? null : checkpoints.resolve(RUN_ID_FILE);
        if (resume) {
            if (file == null || !Files.isRegularFile(file)) {
                throw new Refused(
                        "no run to resume under "
                                + checkpoints
                                + " (a run started with --checkpoints DIR records its id there)");
            }
            return Files.readString(file).trim();
        }
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        String id = ID_TIME.format(Instant.now()) + "-" + HexFormat.of().formatHex(random);
        if (file != null) {
            Files.createDirectories(checkpoints);
            Files.writeString(file, id + "\n");
        }
        return id;
    }

    private static RunRow row(String id, String command, String inputs, String options) {
        return new RunRow(
                id,
                command,
                bounded(inputs),
                bounded(options),
                CaptureTime.toMicros(Instant.now()),
                -1,
                "running",
                -1,
                -1,
                -1);
    }

    private static String bounded(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 3997) + "...";
    }

    private static void write(CensusDatabase db, RunRow row) throws IOException {
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement(CensusTables.RUNS.upsert(1))) {
            CensusTables.RUNS.bind(ps, 1, row);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IOException("could not record the run in census_runs: " + e.getMessage(), e);
        }
    }

    private static void createSchema(CensusDatabase db) throws IOException {
        try {
            db.createSchema();
        } catch (SQLException e) {
            throw new IOException(
                    "could not create the census tables in " + db + ": " + e.getMessage(), e);
        }
    }

    // DuckDB

    /** The file of a DuckDB census. */
    static Path duckDbFile(CensusDatabase db) {
        String path = db.jdbcUrl().substring("jdbc:duckdb:".length());
        int q = path.indexOf('?');
        path = q >= 0 ? path.substring(0, q) : path;
        if (path.isEmpty() || path.equals(":memory:")) {
            throw new IllegalArgumentException("a DuckDB census needs a file: duckdb:PATH");
        }
        return Path.of(path).toAbsolutePath();
    }

    /**
     * Takes the census's writer lock, the one a run holds, for a program that writes a table of the
     * census outside a run ({@code report --as-names}): its rows would otherwise be lost when a run
     * that started before commits.
     *
     * @return the lock, released when closed
     * @throws Refused when a run (or another writer) holds it
     */
    public static AutoCloseable lock(CensusDatabase db) throws Refused, IOException {
        if (db.dialect() == CensusDatabase.Dialect.DUCKDB) {
            return lockFile(duckDbFile(db));
        }
        Connection session = connectPostgres(db);
        try {
            lockPostgres(session, db);
        } catch (Refused e) {
            closeQuietly(session);
            throw e;
        }
        return session::close;
    }

    /**
     * Locks a DuckDB census: a lock file beside it. When released, the file is deleted while still
     * locked, so no run that opened it meanwhile can take a lock that another run takes on a new
     * one.
     */
    private static AutoCloseable lockFile(Path file) throws Refused, IOException {
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            throw new Refused("no directory " + dir + " for the DuckDB file " + file.getFileName());
        }
        Path lockPath = file.resolveSibling(file.getFileName() + ".lock");
        FileChannel channel =
                FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new Refused(
                    "another mpcensus run is writing to " + file + "; wait for it or stop it");
        }
        FileLock held = lock;
        return () -> {
            try {
                Files.deleteIfExists(lockPath);
            } finally {
                held.release();
                channel.close();
            }
        };
    }

    /** Opens the file once (DuckDB refuses a file another process holds) and checkpoints it. */
    private static void checkDuckDb(CensusDatabase db, boolean mayBeAbsent) throws Refused {
        Path file = duckDbFile(db);
        if (mayBeAbsent && !Files.exists(file)) {
            return;
        }
        try {
            checkpointDuckDb(db);
        } catch (IOException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            if (m.contains("lock")) {
                throw new Refused(
                        file
                                + " is open in another program ("
                                + firstLine(m)
                                + "); close it there first");
            }
            throw new Refused(file + " is not a DuckDB census: " + firstLine(m));
        }
    }

    private static void checkpointDuckDb(CensusDatabase db) throws IOException {
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
        } catch (SQLException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static void removeStaleCopies(Path file) throws IOException {
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> dirs =
                Files.newDirectoryStream(file.getParent(), file.getFileName() + ".run-*")) {
            dirs.forEach(stale::add);
        }
        for (Path d : stale) {
            deleteDuckDb(d.resolve(file.getFileName()));
        }
    }

    /**
     * Removes a staged copy: its directory with the copy and its write-ahead log. A writer that is
     * still stopping may recreate its log meanwhile, so this tries for up to two seconds.
     */
    private static void deleteDuckDb(Path copy) {
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

    // PostgreSQL

    private static Connection connectPostgres(CensusDatabase db) throws Refused {
        try {
            return db.connect();
        } catch (SQLException e) {
            throw new Refused(
                    "cannot connect to PostgreSQL at "
                            + db
                            + ": "
                            + firstLine(e.getMessage())
                            + " (is it running? are MPCENSUS_DB_USER/MPCENSUS_DB_PASSWORD set?)");
        }
    }

    private static String currentSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT current_schema()")) {
            r.next();
            String schema = r.getString(1);
            if (schema == null) {
                throw new SQLException("the connection has no schema to write into (search_path)");
            }
            return schema;
        }
    }

    private static void lockPostgres(Connection c, CensusDatabase db) throws Refused {
        try (Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT pg_try_advisory_lock(hashtext('mpcensus:' || current_schema()))")) {
            r.next();
            if (!r.getBoolean(1)) {
                throw new Refused(
                        "another mpcensus run is writing to " + db + "; wait for it or stop it");
            }
        } catch (SQLException e) {
            throw new Refused("cannot lock the census in " + db + ": " + firstLine(e.getMessage()));
        }
    }

    private static boolean schemaExists(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT 1 FROM information_schema.schemata WHERE schema_name = ?")) {
            ps.setString(1, schema);
            try (ResultSet r = ps.executeQuery()) {
                return r.next();
            }
        }
    }

    private static void dropStaleSchemas(Connection c) throws SQLException {
        List<String> stale = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT schema_name FROM information_schema.schemata WHERE"
                                        + " schema_name LIKE '"
                                        + PG_STAGE_PREFIX
                                        + "%'")) {
            while (r.next()) {
                stale.add(r.getString(1));
            }
        }
        try (Statement s = c.createStatement()) {
            for (String schema : stale) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private static void release(AutoCloseable lock) {
        if (lock instanceof FileLock l) {
            try {
                l.release();
                l.channel().close();
            } catch (IOException e) {
                // the process is ending the run anyway
            }
        } else if (lock != null) {
            closeQuietly(lock);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // nothing left to do with it
        }
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "no message";
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
