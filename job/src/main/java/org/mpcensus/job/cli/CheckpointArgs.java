package org.mpcensus.job.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.mpcensus.job.runtime.CheckpointDirectory;
import org.mpcensus.job.sink.CensusRun;
import picocli.CommandLine.Option;

/** Checkpoints of a local run and resuming an earlier run from them, shared by the commands. */
final class CheckpointArgs {
    @Option(
            names = "--checkpoints",
            paramLabel = "DIR",
            description =
                    "Checkpoint the run into DIR (every --checkpoint-interval). They are kept when"
                            + " the run is cancelled, fails or is killed, so that --resume DIR"
                            + " continues it; a run that finishes deletes them.")
    String checkpoints;

    @Option(
            names = "--resume",
            paramLabel = "DIR",
            description =
                    "Continue an earlier run from the newest checkpoint under DIR (its"
                            + " --checkpoints directory, or one chk-N or savepoint directory), and"
                            + " keep checkpointing into DIR. Give the same inputs or targets.")
    String resume;

    @Option(
            names = "--checkpoint-interval",
            paramLabel = "DURATION",
            description =
                    "Checkpoint interval (default: -D execution.checkpointing.interval, else 10s).")
    String interval;

    /** The interval of a run that checkpoints when neither the flag nor -D names one. */
    static final java.time.Duration DEFAULT_INTERVAL = java.time.Duration.ofSeconds(10);

    /** A path of {@code execution.state-recovery.path}: a {@code file:} URI or a plain path. */
    private static Path localPath(String path) {
        return (path.startsWith("file:") ? Path.of(java.net.URI.create(path)) : Path.of(path))
                .toAbsolutePath()
                .normalize();
    }

    /** The directory the run checkpoints into, or null. */
    Path directory() {
        String dir = checkpoints != null ? checkpoints : resume;
        return dir == null ? null : Path.of(dir).toAbsolutePath();
    }

    /** Whether the run resumes an interrupted one. */
    boolean resuming() {
        return resume != null;
    }

    /** Whether the run checkpoints into a directory. */
    boolean given() {
        return checkpoints != null || resume != null;
    }

    /**
     * Sets the checkpoint directory, retention, interval and restore path. A bounded run restored
     * with Flink's own {@code -D execution.state-recovery.path} continues its staged tables as
     * {@code --resume} does when the path is a checkpoint of an mpcensus run; any other restore of
     * a bounded run is refused: its staged tables would be new and miss every row written before
     * the checkpoint.
     *
     * @param always whether the run checkpoints even without a directory (exactly-once Kafka)
     * @param bounded whether the run writes a staged copy of the census that it commits at its end
     * @throws UserError when there is nothing to resume from
     */
    void apply(Configuration conf, boolean always, boolean bounded) {
        for (String[] given :
                new String[][] {{"--checkpoints", checkpoints}, {"--resume", resume}}) {
            if (given[1] != null && given[1].isBlank()) {
                // An empty path is the current directory: not where a run's files go unasked.
                throw new UserError(given[0] + " '" + given[1] + "' names no directory");
            }
        }
        Path restoreFrom = null;
        if (resume == null && bounded && conf.contains(StateRecoveryOptions.SAVEPOINT_PATH)) {
            restoreFrom = localPath(conf.get(StateRecoveryOptions.SAVEPOINT_PATH));
            Optional<Path> run = CensusRun.runDirectoryOf(restoreFrom);
            if (run.isEmpty()
                    || (checkpoints != null
                            && !Path.of(checkpoints).toAbsolutePath().equals(run.get()))) {
                throw new UserError(
                        "-D "
                                + StateRecoveryOptions.SAVEPOINT_PATH.key()
                                + " restores a bounded run only into the tables it staged, and "
                                + restoreFrom
                                + " is no checkpoint of a run started with --checkpoints DIR"
                                + (run.isEmpty() ? "" : " (its run is " + run.get() + ")")
                                + ": continue that run with --resume DIR, or leave the option"
                                + " out to start anew");
            }
            resume = run.get().toString();
        }
        if (always || given()) {
            if (interval != null) {
                conf.setString(CheckpointingOptions.CHECKPOINTING_INTERVAL.key(), interval);
            } else if (conf.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).isEmpty()) {
                conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, DEFAULT_INTERVAL);
            }
        }
        String dir = checkpoints != null ? checkpoints : resume;
        if (dir == null) {
            return;
        }
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                Path.of(dir).toAbsolutePath().toUri().toString());
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        if (resume != null) {
            Optional<Path> from =
                    CheckpointDirectory.latest(restoreFrom != null ? restoreFrom : Path.of(resume));
            if (from.isEmpty()) {
                throw new UserError(
                        "no complete checkpoint under "
                                + resume
                                + " to resume from (a run started with --checkpoints "
                                + resume
                                + " leaves them there)");
            }
            conf.set(
                    StateRecoveryOptions.SAVEPOINT_PATH,
                    from.get().toAbsolutePath().toUri().toString());
            System.err.println("resuming from " + from.get());
        }
    }
}
