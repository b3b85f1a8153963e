package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.SinkOptions;
import org.mpcensus.job.testing.Launcher;
import org.mpcensus.job.testing.Servers;
import org.mpcensus.job.testing.TableDump;

/**
 * The Kafka quick start of job/docs/operations.md, run as a user runs it (the {@code ./mpcensus}
 * launcher, one process per command) against a real broker and PostgreSQL server, gives the same
 * tables as the README's direct replay of the same sample (the README's own quick start runs in
 * {@code ReadmeCommandsITCase}).
 */
class KafkaQuickStartITCase {
    @RegisterExtension static final Servers SERVERS = new Servers();

    static final String RUN = "quick" + Long.toHexString(System.currentTimeMillis());

    @TempDir Path dir;

    @Test
    void theReadmesKafkaQuickStartGivesTheTablesOfADirectReplay() throws Exception {
        List<String> quickStart =
                commands("job/docs/operations.md", "## Production on one machine");
        String kafkaDb = SERVERS.postgres().createDatabase(RUN + "_kafka");
        String directDb = SERVERS.postgres().createDatabase(RUN + "_direct");
        // This run's topics, group and transactions, apart from others on a shared broker.
        List<String> names =
                List.of(
                        "-D", "mpcensus.kafka.replies-topic=" + RUN + ".replies",
                        "-D", "mpcensus.kafka.dead-letters-topic=" + RUN + ".replay_dead_letters",
                        "-D", "mpcensus.kafka.group-id=" + RUN,
                        "-D", "mpcensus.kafka.transactional-id-prefix=" + RUN);
        String publish = only(quickStart, "./mpcensus replay ");
        String analyze = only(quickStart, "./mpcensus analyze ");
        String published =
                run(publish.replace("127.0.0.1:19092", SERVERS.kafka().bootstrap()), names);
        assertThat(published).contains("published to " + RUN + ".replies");
        SERVERS.kafka().awaitCommitted(RUN + ".replies");
        String analysed =
                run(
                        analyze.replace("127.0.0.1:19092", SERVERS.kafka().bootstrap())
                                .replace("jdbc:postgresql://127.0.0.1:5433/census", kafkaDb)
                                .replace("--table-topics mpcensus.", "--table-topics " + RUN + "."),
                        names);
        assertThat(analysed).contains("Late replies (past the lateness, not counted): 0 ");

        String replay = only(commands("README.md", "## Set up"), "./mpcensus replay ");
        run(replay + " --sink " + directDb, List.of());

        Map<String, List<String>> viaKafka = TableDump.of(database(kafkaDb));
        Map<String, List<String>> direct = TableDump.of(database(directDb));
        // The archive's broken rows went to the replay's dead-letters topic instead.
        List<String> letters = viaKafka.remove("dead_letters");
        List<String> directLetters = direct.remove("dead_letters");
        assertThat(
                        letters.size()
                                + SERVERS.kafka().materialize(RUN + ".replay_dead_letters").size())
                .isEqualTo(directLetters.size());
        assertThat(direct.get("census_counts")).isNotEmpty();
        assertThat(viaKafka).isEqualTo(direct);
    }

    static CensusDatabase database(String url) {
        org.apache.flink.configuration.Configuration conf =
                new org.apache.flink.configuration.Configuration();
        conf.set(SinkOptions.URL, url);
        return CensusDatabase.fromConfiguration(conf);
    }

    /**
     * The commands of the first bash block under a heading of a document of the repository,
     * continuation lines joined.
     */
    static List<String> commands(String document, String heading) throws Exception {
        String readme = Files.readString(Launcher.ROOT.resolve(document));
        int at = readme.indexOf("\n" + heading);
        assertThat(at).as(heading).isPositive();
        int start = readme.indexOf("```bash\n", at) + "```bash\n".length();
        String block = readme.substring(start, readme.indexOf("```", start));
        List<String> commands = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : block.split("\n")) {
            String l = line.strip();
            if (l.endsWith("\\")) {
                current.append(l, 0, l.length() - 1).append(' ');
                continue;
            }
            current.append(l);
            if (!current.toString().startsWith("#") && !current.isEmpty()) {
                commands.add(current.toString().replaceAll("\\s+", " "));
            }
            current.setLength(0);
        }
        return commands;
    }

    static String only(List<String> commands, String prefix) {
        List<String> found = commands.stream().filter(c -> c.startsWith(prefix)).toList();
        assertThat(found).as(prefix).hasSize(1);
        return found.get(0);
    }

    /** Runs a command line of the launcher from the repository's root; returns its stdout. */
    String run(String commandLine, List<String> extra) throws Exception {
        List<String> args = new ArrayList<>(Arrays.asList(commandLine.split(" ")));
        args.addAll(extra);
        String name = "run" + (++runs);
        Process p = Launcher.start(args, dir, name);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as(commandLine).isTrue();
        String err = Files.readString(dir.resolve(name + ".err"));
        assertThat(p.exitValue()).as(commandLine + "\n" + err).isZero();
        // What a user sees: mpcensus's own lines, no warning of Flink's and no stack trace.
        assertThat(err.lines())
                .as(commandLine + ": stderr")
                .noneMatch(
                        l -> l.contains("WARN") || l.contains("Exception") || l.startsWith("\tat "))
                .anyMatch(l -> l.matches("mpcensus [a-z]+: done in [0-9:]+: .*"));
        return Files.readString(dir.resolve(name + ".out"));
    }

    private int runs;
}
