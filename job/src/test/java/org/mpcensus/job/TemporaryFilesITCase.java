package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.job.testing.Launcher;
import org.mpcensus.job.testing.Replays;

/**
 * The command line's temporary files, in a temporary directory of their own ({@code TMPDIR}): a run
 * that succeeds leaves nothing there and prints no stack trace while Flink shuts down; a run killed
 * with {@code kill -9} leaves its directory (with Flink's unpacked RPC jar, tens of MB), and the
 * next run removes it. DuckDB's native library is not unpacked at all: it lies next to the jar.
 */
class TemporaryFilesITCase {
    @TempDir Path dir;

    private List<String> replay(String census) {
        List<String> args = new java.util.ArrayList<>(List.of("./mpcensus"));
        args.addAll(Replays.sampleReplay("duckdb:" + dir.resolve(census)));
        return args;
    }

    @Test
    void aRunLeavesNothingAndTheNextRunRemovesWhatAKilledOneLeft() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Map<String, String> env = Map.of("TMPDIR", tmp.toString());

        Process ok = Launcher.start(replay("first.duckdb"), dir, "first", env);
        assertThat(ok.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(dir.resolve("first.err"));
        assertThat(ok.exitValue()).as(err).isZero();
        assertThat(err).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(list(tmp)).isEmpty();

        // Killed once Flink's RPC jar is unpacked: its directory stays.
        Process killed = Launcher.start(replay("killed.duckdb"), dir, "killed", env);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (tree(tmp).stream().noneMatch(p -> p.contains("flink-rpc"))) {
            assertThat(killed.isAlive()).as("the run ended before Flink started").isTrue();
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(5);
        }
        killed.destroyForcibly();
        assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(list(tmp)).containsExactly("mpcensus-run-" + killed.pid() + "-java");

        Process next = Launcher.start(replay("next.duckdb"), dir, "next", env);
        assertThat(next.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(next.exitValue()).as(Files.readString(dir.resolve("next.err"))).isZero();
        assertThat(list(tmp)).isEmpty();
    }

    private static List<String> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> tree(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(Path::toString).toList();
        }
    }
}
