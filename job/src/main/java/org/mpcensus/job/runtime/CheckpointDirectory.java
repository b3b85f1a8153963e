package org.mpcensus.job.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;

/**
 * A directory of retained Flink checkpoints ({@code DIR/<job id>/chk-N/_metadata}, as a job with
 * {@code execution.checkpointing.dir=DIR} leaves them), and the newest complete one in it to resume
 * from. Flink deletes subsumed checkpoints while a job runs, so a directory that vanishes between
 * listing and looking is skipped, never an error.
 */
public final class CheckpointDirectory {
    private static final String METADATA = "_metadata";

    private CheckpointDirectory() {}

    /**
     * The newest complete checkpoint under {@code dir}: {@code dir} itself when it is one (a {@code
     * chk-N} or savepoint directory), else the {@code chk-N} (directly below or below a job id)
     * whose metadata was written last; empty when there is none.
     */
    public static Optional<Path> latest(Path dir) {
        if (Files.isRegularFile(dir.resolve(METADATA))) {
            return Optional.of(dir);
        }
        Path best = null;
        FileTime bestTime = null;
        int bestId = -1;
        for (Path child : list(dir)) {
            for (Path chk :
                    child.getFileName().toString().startsWith("chk-")
                            ? List.of(child)
                            : list(child)) {
                String name = chk.getFileName().toString();
                if (!name.startsWith("chk-")) {
                    continue;
                }
                FileTime written = modified(chk.resolve(METADATA));
                int id = id(name);
                if (written != null
                        && (best == null
                                || written.compareTo(bestTime) > 0
                                || (written.equals(bestTime) && id > bestId))) {
                    best = chk;
                    bestTime = written;
                    bestId = id;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The number N of the newest complete checkpoint {@code chk-N} under {@code dir}, -1 when there
     * is none: a job that has completed its second checkpoint has {@code chk-2} (Flink keeps only
     * the newest, so counting the directories would not tell).
     */
    public static int newestId(Path dir) {
        return latest(dir).map(chk -> id(chk.getFileName().toString())).orElse(-1);
    }

    private static int id(String chk) {
        try {
            return Integer.parseInt(chk.substring("chk-".length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException gone) {
            return null;
        }
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.toList();
        } catch (IOException | UncheckedIOException gone) {
            return List.of();
        }
    }
}
