package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.job.testing.Launcher;
import org.mpcensus.job.testing.Replays;

/**
 * A census that another program holds open, or that another run is writing, is refused before any
 * job starts: one line on stderr, exit 2, the census untouched.
 */
class CensusLockITCase {
    @TempDir Path dir;

    List<String> replay(Path input, Path census) {
        return Launcher.replay(input, "duckdb:" + census);
    }

    @Test
    void aDuckDbFileOpenInAnotherProgramIsOneLineAndExitTwo() throws Exception {
        Path census = dir.resolve("open.duckdb");
        try (Connection held = DriverManager.getConnection("jdbc:duckdb:" + census)) {
            held.createStatement().execute("CREATE TABLE mine (x INTEGER)");
            Process p = Launcher.start(replay(Replays.sample(), census), dir, "locked");
            assertThat(Launcher.ended(p, 120)).isTrue();
            assertThat(p.exitValue()).isEqualTo(2);
            assertThat(Files.readAllLines(dir.resolve("locked.err")))
                    .singleElement()
                    .asString()
                    .startsWith("mpcensus replay: " + census + " is open in another program (")
                    .endsWith("); close it there first");
        }
    }

    @Test
    void aSecondRunIntoTheSameCensusIsRefusedWhileTheFirstRuns() throws Exception {
        Path archive = dir.resolve("scan.csv");
        Replays.synthetic(archive, 41, 20_000);
        Path census = dir.resolve("busy.duckdb");
        Process first = Launcher.start(replay(archive, census), dir, "first");
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!Files.exists(dir.resolve("busy.duckdb.lock"))) {
                assertThat(first.isAlive()).isTrue();
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(20);
            }
            Process second = Launcher.start(replay(Replays.sample(), census), dir, "second");
            assertThat(Launcher.ended(second, 120)).isTrue();
            assertThat(first.isAlive()).as("the first run still runs").isTrue();
            assertThat(second.exitValue()).isEqualTo(2);
            assertThat(Files.readAllLines(dir.resolve("second.err")))
                    .containsExactly(
                            "mpcensus replay: another mpcensus run is writing to "
                                    + census
                                    + "; wait for it or stop it");
        } finally {
            first.destroyForcibly();
            first.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
