package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.job.census.SyntheticScan;
import org.mpcensus.job.runtime.CheckpointDirectory;
import org.mpcensus.job.testing.Launcher;
import org.mpcensus.job.testing.Replays;
import org.mpcensus.job.testing.TableDump;

/**
 * A replay killed with {@code kill -9} and resumed from its checkpoints by a new process ({@code
 * mpcensus replay --resume DIR}) ends with the tables of a replay that was never interrupted:
 * nothing lost, nothing counted twice, keys in the same key groups in the new JVM. So does one
 * restored with Flink's own {@code -D execution.state-recovery.path}; a restore from a checkpoint
 * of no run is refused.
 */
class ReplayResumeITCase {
    @TempDir Path dir;

    @Test
    void aReplayKilledMidwayAndResumedInANewProcessGivesTheTablesOfAnUninterruptedOne()
            throws Exception {
        Path checkpoints = killedAfterACheckpoint();
        Process second =
                Launcher.start(
                        Launcher.with(replay, "--resume", checkpoints.toString()), dir, "second");
        assertThat(Launcher.ended(second, 300)).isTrue();
        assertThat(second.exitValue()).as(Files.readString(dir.resolve("second.err"))).isZero();
        assertThat(Files.readString(dir.resolve("second.err"))).contains("resuming from ");
        // The resume command of job/docs/replay.md, as a user sees it: no warning of Flink's, no
        // stack trace.
        assertThat(Files.readAllLines(dir.resolve("second.err")))
                .noneMatch(
                        l -> l.contains("WARN") || l.contains("Exception") || l.startsWith("\tat "))
                .anyMatch(l -> l.startsWith("mpcensus replay: done in "));
        assertThat(Files.readString(dir.resolve("second.out")))
                .startsWith("Late replies (past the lateness, not counted): 0 ");
        assertTheCensusIsTheUninterruptedOne();
    }

    @Test
    void aReplayKilledMidwayAndRestoredWithFlinksOwnOptionGivesTheTablesOfAnUninterruptedOne()
            throws Exception {
        Path checkpoints = killedAfterACheckpoint();
        Path checkpoint = CheckpointDirectory.latest(checkpoints).orElseThrow();
        // What a Flink user (and the Kubernetes operator) passes: the checkpoint's URI.
        Process second =
                Launcher.start(
                        Launcher.with(
                                replay,
                                "-D",
                                "execution.state-recovery.path=" + checkpoint.toUri()),
                        dir,
                        "second");
        assertThat(Launcher.ended(second, 300)).isTrue();
        assertThat(second.exitValue()).as(Files.readString(dir.resolve("second.err"))).isZero();
        assertThat(Files.readString(dir.resolve("second.err")))
                .contains("resuming from " + checkpoint);
        assertTheCensusIsTheUninterruptedOne();
    }

    @Test
    void restoringABoundedReplayFromACheckpointOfNoRunIsOneLineAndExitTwo() throws Exception {
        // A checkpoint directory that no mpcensus run wrote (no run id beside it).
        Path foreign = Files.createDirectories(dir.resolve("elsewhere/job/chk-3"));
        Files.writeString(foreign.resolve("_metadata"), "");
        Process p = sampleReplay("foreign", "-D", "execution.state-recovery.path=" + foreign);
        assertThat(Launcher.ended(p, 120)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        List<String> err = Files.readAllLines(dir.resolve("foreign.err"));
        assertThat(err).hasSize(1);
        assertThat(err.get(0))
                .startsWith("mpcensus replay: -D execution.state-recovery.path restores")
                .contains(foreign.toString())
                .contains("--resume DIR");
        assertThat(dir.resolve("x.duckdb")).doesNotExist();
    }

    /** Starts a replay of the sample into x.duckdb with more arguments, its output as NAME. */
    private Process sampleReplay(String name, String... more) throws Exception {
        List<String> line =
                new java.util.ArrayList<>(
                        List.of(
                                "./mpcensus",
                                "replay",
                                "--input",
                                Replays.sample().toString(),
                                "--sink",
                                "duckdb:" + dir.resolve("x.duckdb")));
        line.addAll(List.of(more));
        return Launcher.start(line, dir, name);
    }

    private Path archive;
    private String sink;
    private List<String> replay;

    /** Starts a replay with checkpoints and kills it with {@code kill -9} after its second one. */
    private Path killedAfterACheckpoint() throws Exception {
        archive = dir.resolve("scan.csv");
        Replays.synthetic(archive, 23, 40_000);
        Path asn = Files.writeString(dir.resolve("asn.dat"), SyntheticScan.asnTable());
        Path checkpoints = dir.resolve("checkpoints");
        sink = "duckdb:" + dir.resolve("resumed.duckdb");
        replay =
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
        return checkpoints;
    }

    private void assertTheCensusIsTheUninterruptedOne() throws Exception {
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
        Process p = sampleReplay("empty", "--resume", dir.resolve("empty").toString());
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
