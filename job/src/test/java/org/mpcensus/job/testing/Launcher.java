package org.mpcensus.job.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code ./mpcensus} (the launcher of the built jar) as a user does: its own process from the
 * repository's root, standard output and error to {@code NAME.out} and {@code NAME.err} in a
 * directory.
 */
public final class Launcher {
    /** The repository's root (tests run in the module's directory). */
    public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private Launcher() {}

    /** Starts a command line ({@code ./mpcensus ...}). */
    public static Process start(List<String> args, Path dir, String name) throws IOException {
        Process p =
                new ProcessBuilder(args)
                        .directory(ROOT.toFile())
                        .redirectOutput(dir.resolve(name + ".out").toFile())
                        .redirectError(dir.resolve(name + ".err").toFile())
                        .start();
        p.getOutputStream().close();
        return p;
    }

    /** {@code args} followed by {@code more}. */
    public static List<String> with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all;
    }
}
