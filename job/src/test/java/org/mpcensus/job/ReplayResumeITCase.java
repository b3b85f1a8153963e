package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.job.testing.Launcher;
import org.mpcensus.job.testing.Replays;
import org.mpcensus.job.testing.TableDump;

/**
 * A replay killed with {@code kill -9} and resumed from its checkpoints by a new process ({@code
 * mpcensus replay --resume DIR}) ends with the tables of a replay that was never interrupted:
 * nothing lost, nothing counted twice, keys in the same key groups in the new JVM.
 */
class ReplayResumeITCase {
    @TempDir Path dir;

    @Test
    void aReplayKilledMidwayAndResumedInANewProcessGivesTheTablesOfAnUninterruptedOne()
            throws Exception {
        Path archive = dir.resolve("scan.csv");
        Replays.synthetic(archive, 23, 40_000);
        Path asn = Files.writeString(dir.resolve("asn.dat"), SyntheticScan.asnTable());
        Path checkpoints = dir.resolve("checkpoints");
        String sink = "duckdb:" + dir.resolve("resumed.duckdb");
        List<String> replay =
                List.of(
                        "./mpcensus",
                        "replay",
                        "--input",
                        archive.toString(),
                        "--asn-table",
                        asn.toString(),
                        "--sink",
                        sink,
                        "--no-summary",
                        "--checkpoint-interval",
                        "1s");

        Process first =
                Launcher.start(
                        Launcher.with(replay, "--checkpoints", checkpoints.toString()),
                        dir,
                        "first");
        Launcher.awaitCheckpoint(first, checkpoints, 2);
        // kill -9: no shutdown hook, no cancellation, nothing flushed.
        first.destroyForcibly();
        assertThat(Launcher.ended(first, 30)).isTrue();
        assertThat(first.exitValue()).isEqualTo(137);

        Process second =
                Launcher.start(
                        Launcher.with(replay, "--resume", checkpoints.toString()), dir, "second");
        assertThat(Launcher.ended(second, 300)).isTrue();
        assertThat(second.exitValue()).as(Files.readString(dir.resolve("second.err"))).isZero();
        assertThat(Files.readString(dir.resolve("second.err"))).contains("resuming from ");
        // The README's resume command, as a user sees it: no warning of Flink's, no stack trace.
        assertThat(Files.readAllLines(dir.resolve("second.err")))
                .noneMatch(
                        l -> l.contains("WARN") || l.contains("Exception") || l.startsWith("\tat "))
                .anyMatch(l -> l.startsWith("mpcensus replay: done in "));
        assertThat(Files.readString(dir.resolve("second.out")))
                .startsWith("Late replies (past the lateness, not counted): 0 ");

        var uninterrupted =
                TableDump.of(
                        Replays.run(
                                Replays.conf("duckdb:" + dir.resolve("direct.duckdb")),
                                List.of(archive.toString())));
        var resumed = TableDump.of(org.mpcensus.job.KafkaQuickStartITCase.database(sink));
        assertThat(uninterrupted.get("census_hosts")).hasSizeGreaterThan(100_000);
        assertThat(resumed).isEqualTo(uninterrupted);
    }

    @Test
    void resumingFromADirectoryWithoutACheckpointIsAOneLineErrorNotAStackTrace() throws Exception {
        Process p =
                Launcher.start(
                        List.of(
                                "./mpcensus",
                                "replay",
                                "--input",
                                Replays.sample().toString(),
                                "--sink",
                                "duckdb:" + dir.resolve("x.duckdb"),
                                "--resume",
                                dir.resolve("empty").toString()),
                        dir,
                        "empty");
        assertThat(Launcher.ended(p, 120)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(Files.readAllLines(dir.resolve("empty.err")))
                .containsExactly(
                        "mpcensus replay: no complete checkpoint under "
                                + dir.resolve("empty")
                                + " to resume from (a run started with --checkpoints "
                                + dir.resolve("empty")
                                + " leaves them there)");
    }
}
