package org.mpcensus.job.schema;

/**
 * One row of {@code census_runs} ({@link LedgerTables#RUNS}); -1 for a value not known.
 *
 * @param runId the run's id
 * @param command {@code replay}, {@code analyze} or {@code probe}
 * @param inputs the files, topic or targets the run read
 * @param options the options that differ from the defaults
 * @param startedMicros when the run started (microseconds since 1970, UTC)
 * @param endedMicros when it ended, or -1
 * @param status complete, running, stopped or failed
 * @param replies replies counted, or -1
 * @param deadLetters dead letters kept, or -1
 * @param lateReplies late replies kept and not counted, or -1
 */
public record RunRow(
        String runId,
        String command,
        String inputs,
        String options,
        long startedMicros,
        long endedMicros,
        RunStatus status,
        long replies,
        long deadLetters,
        long lateReplies) {}
