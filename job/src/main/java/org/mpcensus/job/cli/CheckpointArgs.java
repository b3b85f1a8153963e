package org.mpcensus.job.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.mpcensus.job.CheckpointDirectory;
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
     * Sets the checkpoint directory, retention, interval and restore path.
     *
     * @param always whether the run checkpoints even without a directory (exactly-once Kafka)
     * @return a message for the user when there is nothing to resume from, else empty
     */
    Optional<String> apply(Configuration conf, boolean always) {
        if (always || given()) {
            if (interval != null) {
                conf.setString(CheckpointingOptions.CHECKPOINTING_INTERVAL.key(), interval);
            } else if (conf.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).isEmpty()) {
                conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, DEFAULT_INTERVAL);
            }
        }
        String dir = checkpoints != null ? checkpoints : resume;
        if (dir == null) {
            return Optional.empty();
        }
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                Path.of(dir).toAbsolutePath().toUri().toString());
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        if (resume != null) {
            Optional<Path> from = CheckpointDirectory.latest(Path.of(resume));
            if (from.isEmpty()) {
                return Optional.of(
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
        return Optional.empty();
    }
}
