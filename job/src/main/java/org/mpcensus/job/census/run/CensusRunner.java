package org.mpcensus.job.census.run;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.mpcensus.job.census.memory.CensusMemory;
import org.mpcensus.job.http.HttpMemory;
import org.mpcensus.job.output.RememberedCensus;
import org.mpcensus.job.runtime.RunStatistics;
import org.mpcensus.job.schema.InputRow;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.CensusRun;
import org.mpcensus.job.sink.InputLedger;

/**
 * The life of one run of a census command, from the lock on the census to the commit: a {@link
 * CensusRun} (a bounded run's results become visible together when it completes, or not at all; a
 * continuous run writes the census directly), the files it reads against the input ledger, the
 * census's memory (a continuous job starts from it, a bounded run continues the census's months
 * from it when it ends), the numbers of its HTTP runs, and the run ledger's row. The commands
 * describe a run with the setters and {@link #run} it; what the run says on the way goes to the log
 * stream.
 */
public final class CensusRunner {

    /** A census job, built once its run has started, writing into the run's database. */
    public interface CensusJob {
        JobExecutionResult run(Started run) throws Exception;
    }

    /**
     * What a job knows of its run once the run has started.
     *
     * @param database the database the job writes: the run's stage for a bounded run, else the
     *     census
     * @param remembered what a continuous job that adds replies takes in from the census's memory
     *     ({@link RememberedCensus#NONE} for a job that restores its state); null for any other run
     *     (a bounded one continues the census when it ends)
     * @param httpRunsFrom the number the job's HTTP timing runs start at
     * @param filesToRead the files to read: those of {@link #files} the census does not hold yet
     */
    public record Started(
            CensusDatabase database,
            RememberedCensus remembered,
            int httpRunsFrom,
            List<String> filesToRead) {}

    private final CensusDatabase db;
    private final String command;
    private String inputs;
    private String options;
    private boolean bounded = true;
    private Path checkpointDirectory;
    private boolean resuming;
    private boolean scanIdsAreFiles;
    private List<String> files;
    private boolean reapply;
    private Configuration continuing;
    private Integer firstOpenMonth;
    private boolean timesHttp;
    private PrintStream log = System.err;
    private InputLedger plan;

    private CensusRunner(CensusDatabase db, String command) {
        this.db = db;
        this.command = command;
    }

    /** A run of {@code command} (replay, probe, ...) on the census in {@code db}. */
    public static CensusRunner of(CensusDatabase db, String command) {
        return new CensusRunner(db, command);
    }

    /** What the run reads, for {@code census_runs}. */
    public CensusRunner inputs(String description) {
        this.inputs = description;
        return this;
    }

    /** The options it was given, for {@code census_runs}. */
    public CensusRunner options(String given) {
        this.options = given;
        return this;
    }

    /** A continuous run (it writes the census directly), or a bounded one (the default). */
    public CensusRunner bounded(boolean bounded) {
        this.bounded = bounded;
        return this;
    }

    /** The directory of a bounded run's checkpoints, and whether it resumes from them. */
    public CensusRunner checkpoints(Path directory, boolean resuming) {
        this.checkpointDirectory = directory;
        this.resuming = resuming;
        return this;
    }

    /** Each reply's scan id names its input file ({@link RunStatistics#of}). */
    public CensusRunner scanIdsNameFiles(boolean yes) {
        this.scanIdsAreFiles = yes;
        return this;
    }

    /**
     * The files a bounded run reads, planned against the census once the run holds it ({@link
     * InputLedger}: files whose content the census holds are skipped unless {@code reapply}) and
     * recorded with its results. A run with no file left to read runs no job.
     */
    public CensusRunner files(List<String> files, boolean reapply) {
        this.files = files;
        this.reapply = reapply;
        return this;
    }

    /**
     * The job adds replies to the census (replay, probe, analyze): a bounded run then continues the
     * census's months from the memory of every run ({@link CensusMemory}); a continuous one starts
     * from that memory, in the months from {@code firstOpenMonth} on ({@link
     * org.mpcensus.udf.month.Months#index}; null for any month).
     */
    public CensusRunner continuing(Configuration conf, Integer firstOpenMonth) {
        this.continuing = conf;
        this.firstOpenMonth = firstOpenMonth;
        return this;
    }

    /** The job can time HTTP: its runs add to the census's. */
    public CensusRunner timesHttp(boolean yes) {
        this.timesHttp = yes;
        return this;
    }

    /** Where the run says what it skipped and continued (standard error by default). */
    public CensusRunner log(PrintStream log) {
        this.log = log;
        return this;
    }

    /** The files the run read (after {@link #run}); all of them when there was no plan. */
    public List<String> filesRead() {
        return plan == null ? files : plan.toRead();
    }

    /**
     * Starts the run, builds and runs the job, continues the census and commits.
     *
     * @throws CensusRun.Refused when the census is locked by another run or the checkpoints do not
     *     fit
     */
    public RunStatistics run(CensusJob job) throws Exception {
        CensusRun run =
                bounded
                        ? CensusRun.bounded(
                                db, command, inputs, options, checkpointDirectory, resuming)
                        : CensusRun.direct(db, command, inputs, options);
        try (run) {
            CompletableFuture<List<InputRow>> read = null;
            if (files != null && bounded) {
                plan = InputLedger.plan(run.database(), files, reapply, command);
                plan.skipped().forEach(l -> log.println("mpcensus " + command + ": " + l));
                read = plan.rows(run.id(), run.startedMicros());
            }
            RememberedCensus remembered = !bounded && continuing != null ? remember(run) : null;
            int httpRunsFrom = timesHttp ? HttpMemory.nextRun(run.database()) : 0;
            List<String> toRead = filesRead();
            Started started = new Started(run.database(), remembered, httpRunsFrom, toRead);
            JobExecutionResult result =
                    toRead != null && toRead.isEmpty()
                            // Every file is in the census already: a run that reads nothing.
                            ? new JobExecutionResult(new JobID(), 0, Map.of())
                            : job.run(started);
            RunStatistics stats = RunStatistics.of(result, scanIdsAreFiles);
            if (bounded && continuing != null) {
                continueCensus(run);
            }
            if (bounded && timesHttp) {
                // The deltas of the hosts this run timed, over every run of theirs.
                HttpMemory.continueRun(run.database(), httpRunsFrom);
            }
            if (read != null) {
                InputLedger.record(run.database(), read.join());
            }
            run.commit(stats.replies(), stats.deadLetters(), stats.lateReplies());
            return stats;
        }
    }

    private void continueCensus(CensusRun run) throws Exception {
        long began = System.nanoTime();
        CensusMemory.Continued c = CensusMemory.continueRun(run.database(), continuing);
        if (!c.months().isEmpty()) {
            log.printf(
                    "mpcensus %s: continued the census in %s (and the months its windows reach)"
                            + " from the memory of every run: %,d replies of the MPTCP path, %,d"
                            + " keys of plain responders, in %.1f s%n",
                    command,
                    span(c.months()),
                    c.replies(),
                    c.plainKeys(),
                    (System.nanoTime() - began) / 1e9);
        }
    }

    /**
     * Loads what a continuous job started without state continues from the census's memory; a job
     * restored from a checkpoint or savepoint has it in its state.
     */
    private RememberedCensus remember(CensusRun run) throws Exception {
        if (continuing.contains(StateRecoveryOptions.SAVEPOINT_PATH)) {
            return RememberedCensus.NONE;
        }
        long began = System.nanoTime();
        RememberedCensus remembered =
                CensusMemory.remembered(run.database(), continuing, firstOpenMonth);
        if (!remembered.isEmpty()) {
            log.printf(
                    "mpcensus %s: continues the census in %s from the memory of earlier runs:"
                            + " %,d replies of the MPTCP path, %,d keys of plain responders,"
                            + " loaded in %.1f s%n",
                    command,
                    span(remembered.months()),
                    remembered.replies().size(),
                    remembered.plain().size(),
                    (System.nanoTime() - began) / 1e9);
        }
        return remembered;
    }

    /** {@code 2026-10}, or {@code 2026-10..2026-12}. */
    private static String span(List<String> months) {
        String first = months.get(0);
        String last = months.get(months.size() - 1);
        return first.equals(last) ? first : first + ".." + last;
    }
}
