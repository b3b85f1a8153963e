package org.mpcensus.job.sink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import org.mpcensus.job.schema.LedgerTables;
import org.mpcensus.job.schema.RunRow;
import org.mpcensus.job.schema.RunStatus;
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
    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    private final CensusDatabase target;
    private final CensusDatabase staged;
    private final RunRow started;
    private final boolean bounded;
    private final boolean keepStaged;
    private final Staging staging;
    private final Thread onExit;
    private boolean done;

    private CensusRun(
            CensusDatabase target,
            CensusDatabase staged,
            RunRow started,
            boolean bounded,
            boolean keepStaged,
            Staging staging) {
        this.target = target;
        this.staged = staged;
        this.started = started;
        this.bounded = bounded;
        this.keepStaged = keepStaged;
        this.staging = staging;
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
        Staging staging = Staging.of(target);
        try {
            staging.lock();
            staging.check(true);
            CensusDatabase staged = staging.stage(id, resume);
            return new CensusRun(target, staged, row, true, checkpoints != null, staging);
        } catch (Refused | IOException | RuntimeException e) {
            staging.close();
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
        Staging staging = Staging.of(target);
        try {
            staging.lock();
            staging.check(false);
            Staging.createSchema(target);
            write(target, row);
        } catch (Refused | IOException | RuntimeException e) {
            staging.close();
            throw e;
        }
        return new CensusRun(target, target, row, false, false, staging);
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
        Staging staging = Staging.of(db);
        staging.lock();
        return staging;
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
        write(
                staged,
                ended(
                        bounded ? RunStatus.COMPLETE : RunStatus.STOPPED,
                        replies,
                        deadLetters,
                        lateReplies));
        if (bounded) {
            staging.publish();
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
                write(target, ended(RunStatus.FAILED, -1, -1, -1));
            } catch (IOException e) {
                // the run's failure is what the user is told about
            }
        } else if (!keepStaged) {
            staging.discard();
        }
        finish();
    }

    /** The run's row as it ends now. */
    private RunRow ended(RunStatus status, long replies, long deadLetters, long lateReplies) {
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
        staging.close();
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException e) {
            // already shutting down: this is the hook
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
                RunStatus.RUNNING,
                -1,
                -1,
                -1);
    }

    private static String bounded(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 3997) + "...";
    }

    private static void write(CensusDatabase db, RunRow row) throws IOException {
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement(LedgerTables.RUNS.upsert(1))) {
            LedgerTables.RUNS.bind(ps, 1, row);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IOException("could not record the run in census_runs: " + e.getMessage(), e);
        }
    }
}
