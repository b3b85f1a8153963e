package org.mpcensus.job.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mpcensus.job.runtime.CheckpointDirectory;

/**
 * Runs {@code ./mpcensus} (the launcher of the built jar) as a user does: its own process from the
 * repository's root, standard output and error to {@code NAME.out} and {@code NAME.err} in a
 * directory.
 */
public final class Launcher {
    /** The repository's root (tests run in the module's directory). */
    public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private Launcher() {}

    /**
     * Waits for a process a test started; one still running after {@code seconds} is killed (by its
     * handle, so nothing else) and waited for, so that a failing test leaves nothing behind.
     *
     * @return whether it ended by itself in time
     */
    public static boolean ended(Process p, int seconds) throws InterruptedException {
        if (p.waitFor(seconds, java.util.concurrent.TimeUnit.SECONDS)) {
            return true;
        }
        p.destroyForcibly().waitFor();
        return false;
    }

    /** Starts a command line ({@code ./mpcensus ...}). */
    public static Process start(List<String> args, Path dir, String name) throws IOException {
        return start(args, dir, name, java.util.Map.of());
    }

    /** Starts a command line with these environment variables set on top of this process's. */
    public static Process start(
            List<String> args, Path dir, String name, java.util.Map<String, String> environment)
            throws IOException {
        ProcessBuilder b =
                new ProcessBuilder(args)
                        .directory(ROOT.toFile())
                        .redirectOutput(dir.resolve(name + ".out").toFile())
                        .redirectError(dir.resolve(name + ".err").toFile());
        b.environment().putAll(environment);
        Process p = b.start();
        p.getOutputStream().close();
        return p;
    }

    /**
     * Waits until checkpoint {@code n} (or a later one) of a running process is complete under
     * {@code checkpoints}, and returns the newest one's number.
     *
     * @throws AssertionError when the process ends first, or after three minutes
     */
    public static int awaitCheckpoint(Process p, Path checkpoints, int n)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        int newest;
        while ((newest = CheckpointDirectory.newestId(checkpoints)) < n) {
            if (!p.isAlive()) {
                throw new AssertionError("the process ended before checkpoint " + n);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no checkpoint " + n + " in three minutes");
            }
            Thread.sleep(2);
        }
        return newest;
    }

    /**
     * {@code ./mpcensus replay} of one input into a sink, without the summary, and {@code more}.
     */
    public static List<String> replay(Path input, String sink, String... more) {
        return with(
                List.of(
                        "./mpcensus",
                        "replay",
                        "--input",
                        input.toString(),
                        "--sink",
                        sink,
                        "--no-summary"),
                more);
    }

    /** {@code args} followed by {@code more}. */
    public static List<String> with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all;
    }
}
