package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.job.testing.Launcher;

/**
 * Every {@code bash} block of the README runs as written, as a user of a fresh clone runs it: one
 * shell per block, from a working directory that holds the repository's top level (links to it),
 * each command followed by a look at what it left. After every command, {@code git status} shows
 * nothing new, nothing new is in {@code /tmp}, and what it wrote into the working directory is
 * ignored by the repository's {@code .gitignore} (the census files, the report).
 *
 * <p>The two Maven commands (build, test) are not run here: this test runs inside the README's test
 * command, after its {@code package} phase, which is the build command; CI runs the test command
 * itself ({@code .ci/run}). The blocks that need root (the testbed; PostgreSQL started with {@code
 * runuser}) run with the {@code netns} tests.
 */
class ReadmeCommandsITCase {
    static final String BUILD = "mvn -q -B package -DskipTests";
    static final String TESTS = "mvn -B verify -Pnetns";
    static final Path PG_DATA = Path.of("/var/lib/postgresql/mpcensus");
    static final Path TESTBED_STATE = Path.of("/run/mpcensus-testbed.state");

    @TempDir Path dir;

    @Test
    void theBlocksThatNeedNoRootRunAsWrittenAndLeaveNothing() throws Exception {
        List<Block> blocks = blocks();
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(4);
        Path work = workingDirectory();
        int ran = 0;
        for (Block b : blocks) {
            if (!b.needsRoot()) {
                run(b, work);
                ran++;
            }
        }
        assertThat(ran).as("blocks without root").isGreaterThanOrEqualTo(2);
        // One census of the set-up replay and the trace, which the report drew.
        assertThat(work.resolve("mpcensus.duckdb")).isRegularFile();
        assertThat(work.resolve("mpcensus-report/index.html")).isRegularFile();
        assertThat(work.resolve("mpcensus-report/hosts-by-class.csv")).isRegularFile();
        assertThat(work.resolve("mpcensus-report/traffic-share.csv")).isRegularFile();
    }

    @Test
    @Tag("netns")
    void theBlocksThatNeedRootRunAsWrittenAndLeaveNothing() throws Exception {
        assertThat(Files.exists(PG_DATA))
                .as(PG_DATA + " is there before the README makes it")
                .isFalse();
        assertThat(Files.exists(TESTBED_STATE)).as("a testbed is up already").isFalse();
        Path work = workingDirectory();
        int ran = 0;
        try {
            for (Block b : blocks()) {
                if (b.needsRoot()) {
                    run(b, work);
                    ran++;
                }
            }
        } finally {
            // What a failed block started (the README's own stop commands did not run).
            if (Files.exists(TESTBED_STATE)) {
                shell(work, "./mpcensus testbed down");
            }
            if (Files.exists(work.resolve("job/kafka/target/broker/broker.pid"))) {
                shell(work, "job/kafka/kafka-broker stop --delete");
            }
            if (Files.exists(PG_DATA.resolve("postmaster.pid"))) {
                shell(
                        work,
                        "runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "
                                + PG_DATA
                                + " -m fast -w stop");
            }
            if (Files.exists(PG_DATA)) {
                shell(work, "rm -rf " + PG_DATA + " " + PG_DATA + ".log");
            }
        }
        assertThat(ran).as("blocks with root").isGreaterThanOrEqualTo(2);
        assertThat(work.resolve("testbed.duckdb")).isRegularFile();
    }

    /** A bash block of the README: its command lines (continuations kept). */
    record Block(int line, List<String> commands) {
        boolean needsRoot() {
            return commands.stream()
                    .anyMatch(c -> c.contains("./mpcensus testbed ") || c.startsWith("runuser "));
        }
    }

    /** The README's bash blocks, the Maven ones checked and left out. */
    static List<Block> blocks() throws IOException {
        List<String> lines = Files.readAllLines(Launcher.ROOT.resolve("README.md"));
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).equals("```bash")) {
                continue;
            }
            int start = i + 1;
            List<String> commands = new ArrayList<>();
            StringBuilder command = new StringBuilder();
            for (i = start; !lines.get(i).equals("```"); i++) {
                String l = lines.get(i);
                command.append(l);
                if (l.endsWith("\\")) {
                    command.append('\n');
                    continue;
                }
                String c = command.toString();
                command.setLength(0);
                if (c.isBlank() || c.strip().startsWith("#")) {
                    continue;
                }
                if (c.startsWith("mvn ")) {
                    assertThat(c).as("a Maven command of the README").isIn(BUILD, TESTS);
                    continue;
                }
                commands.add(c);
            }
            if (!commands.isEmpty()) {
                blocks.add(new Block(start, commands));
            }
        }
        // The test command is what CI runs; the build command's phase runs before this test.
        assertThat(Files.readString(Launcher.ROOT.resolve(".ci/run"))).contains(TESTS);
        return blocks;
    }

    /** A directory holding links to the repository's top level, as a clone's root looks. */
    Path workingDirectory() throws IOException {
        Path work = Files.createDirectory(dir.resolve("clone"));
        try (Stream<Path> top = Files.list(Launcher.ROOT)) {
            for (Path p : top.toList()) {
                String name = p.getFileName().toString();
                if (!name.equals(".git") && !name.endsWith(".duckdb") && !name.equals("target")) {
                    Files.createSymbolicLink(work.resolve(name), p);
                }
            }
        }
        return work;
    }

    /** Runs a block as one shell, checking after each command; fails naming the command. */
    void run(Block block, Path work) throws Exception {
        Path snapshots = Files.createDirectories(dir.resolve("snapshots-" + block.line()));
        StringBuilder script = new StringBuilder("set -euo pipefail\n");
        script.append("__look() { ls -A /tmp > ")
                .append(snapshots)
                .append("/tmp.$1; git -C ")
                .append(Launcher.ROOT)
                .append(" status --porcelain > ")
                .append(snapshots)
                .append("/git.$1; ls -A . > ")
                .append(snapshots)
                .append("/work.$1; }\n__look 0\n");
        for (int i = 0; i < block.commands().size(); i++) {
            script.append(block.commands().get(i)).append('\n');
            script.append("__look ").append(i + 1).append('\n');
        }
        Path file = Files.writeString(snapshots.resolve("block.sh"), script.toString());
        Process p =
                new ProcessBuilder("bash", file.toString())
                        .directory(work.toFile())
                        .redirectOutput(snapshots.resolve("out").toFile())
                        .redirectError(snapshots.resolve("err").toFile())
                        .start();
        p.getOutputStream().close();
        boolean ended = p.waitFor(15, TimeUnit.MINUTES);
        if (!ended) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
        }
        int done = 0;
        while (Files.exists(snapshots.resolve("tmp." + (done + 1)))) {
            done++;
        }
        String err = Files.readString(snapshots.resolve("err"), StandardCharsets.UTF_8);
        String failed = done < block.commands().size() ? block.commands().get(done) : "";
        assertThat(ended)
                .as("README line %d: still running after 15 min: %s", block.line(), failed)
                .isTrue();
        assertThat(p.exitValue())
                .as("README line %d: %s\n%s", block.line(), failed, tail(err))
                .isZero();
        Snapshot before = snapshot(snapshots, 0);
        for (int i = 1; i <= block.commands().size(); i++) {
            Snapshot after = snapshot(snapshots, i);
            String command = block.commands().get(i - 1);
            assertThat(minus(after.tmp(), before.tmp()))
                    .as("new in /tmp after README line %d: %s", block.line(), command)
                    .isEmpty();
            assertThat(minus(after.git(), before.git()))
                    .as("new in git status after README line %d: %s", block.line(), command)
                    .isEmpty();
            for (String name : minus(after.work(), before.work())) {
                assertThat(ignored(work.resolve(name)))
                        .as(
                                "%s, written by README line %d (%s), is not ignored by git",
                                name, block.line(), command)
                        .isTrue();
            }
        }
    }

    /** What a look after a command saw: /tmp, git status, the working directory. */
    record Snapshot(List<String> tmp, List<String> git, List<String> work) {}

    static Snapshot snapshot(Path snapshots, int i) throws IOException {
        return new Snapshot(
                Files.readAllLines(snapshots.resolve("tmp." + i)),
                Files.readAllLines(snapshots.resolve("git." + i)),
                Files.readAllLines(snapshots.resolve("work." + i)));
    }

    static List<String> minus(List<String> a, List<String> b) {
        TreeSet<String> left = new TreeSet<>(a);
        left.removeAll(b);
        return List.copyOf(left);
    }

    /** Whether git ignores a file of this name at the root of a clone. */
    static boolean ignored(Path file) throws Exception {
        String name = file.getFileName().toString() + (Files.isDirectory(file) ? "/" : "");
        Process p =
                new ProcessBuilder("git", "check-ignore", "-q", "--no-index", name)
                        .directory(Launcher.ROOT.toFile())
                        .start();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    static void shell(Path work, String command) throws Exception {
        Process p =
                new ProcessBuilder("bash", "-c", command)
                        .directory(work.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
        p.waitFor(2, TimeUnit.MINUTES);
    }

    static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
