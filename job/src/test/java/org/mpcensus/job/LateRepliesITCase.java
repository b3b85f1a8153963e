package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.job.census.AnalysisJob;
import org.mpcensus.job.census.CensusSummary;
import org.mpcensus.job.census.PublishJob;
import org.mpcensus.job.census.ReplayJob;
import org.mpcensus.job.kafka.KafkaOptions;
import org.mpcensus.job.runtime.JobEnvironment;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.DatabaseOutput;
import org.mpcensus.job.testing.Replays;
import org.mpcensus.job.testing.Servers;
import org.mpcensus.probe.event.CaptureTime;

/**
 * A continuous analysis has watermarks: replies of a month that arrive after the month plus the
 * lateness is over are not counted, and none of them is lost: each is in {@code dead_letters} with
 * its reason, and the summary counts them.
 */
class LateRepliesITCase {
    @RegisterExtension static final Servers SERVERS = new Servers();

    @TempDir Path dir;

    static final String RUN = "late" + Long.toHexString(System.currentTimeMillis());

    @Test
    void repliesOfAMonthThatIsOverAreKeptAsDeadLettersAndCounted() throws Exception {
        Path october = monthOfTheSample("2026-10");
        Path august = monthOfTheSample("2026-08");
        long octoberReplies = directReplies(october);
        long augustReplies = directReplies(august);
        Configuration conf =
                Replays.kafka(SERVERS.kafka(), SERVERS.postgres().createDatabase(RUN), RUN);
        conf.set(CoreOptions.DEFAULT_PARALLELISM, 1);
        // One partition: its watermark is the analysis's.
        SERVERS.kafka().createTopic(conf.get(KafkaOptions.REPLIES_TOPIC), 1);
        CensusDatabase db = CensusDatabase.fromConfiguration(conf);
        JobClient job =
                AnalysisJob.fromConfiguration(new DatabaseOutput(db, conf), conf)
                        .start(JobEnvironment.of(conf));
        try {
            publish(conf, october);
            await(
                    db,
                    "SELECT COALESCE(SUM(replies), 0) FROM census_counts WHERE month = '2026-10'",
                    octoberReplies);
            // The watermark is now in late October: August (lateness one month) is over.
            publish(conf, august);
            await(
                    db,
                    "SELECT COUNT(*) FROM dead_letters WHERE reason LIKE 'past lateness%'",
                    augustReplies);
        } finally {
            Replays.cancelAndWait(job);
        }
        assertThat(count(db, "SELECT COUNT(*) FROM census_counts WHERE month = '2026-08'"))
                .isZero();
        assertThat(
                        count(
                                db,
                                "SELECT COUNT(*) FROM dead_letters WHERE reason LIKE"
                                        + " 'past lateness (watermark 2026-10-%, month 2026-08,"
                                        + " lateness 1 month(s))%' AND capture_time <"
                                        + " TIMESTAMP '2026-09-01 00:00:00' AND raw IS NOT NULL"))
                .isEqualTo(augustReplies);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CensusSummary.printLate(db, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith(
                        "Late replies (past the lateness, not counted): " + augustReplies + " ");
    }

    /** The sample archive's rows of one month, with its header. */
    Path monthOfTheSample(String month) throws Exception {
        List<String> lines = Files.readAllLines(Replays.sample());
        String header = lines.stream().filter(l -> l.startsWith("saddr,")).findFirst().get();
        int ts = List.of(header.split(",")).indexOf("timestamp_ts");
        List<String> out = new ArrayList<>(List.of(header));
        for (String l : lines) {
            String[] f = l.split(",");
            if (!l.startsWith("#") && f.length == header.split(",").length && !l.equals(header)) {
                if (CaptureTime.month(Long.parseLong(f[ts]) * 1_000_000L).equals(month)) {
                    out.add(l);
                }
            }
        }
        return Files.write(dir.resolve(month + ".csv"), out);
    }

    /** The replies a direct replay of a file counts. */
    long directReplies(Path file) throws Exception {
        CensusDatabase direct =
                Replays.run(
                        Replays.conf("duckdb:" + dir.resolve(file.getFileName() + ".duckdb")),
                        List.of(file.toString()));
        return count(direct, "SELECT SUM(replies) FROM census_counts");
    }

    static void publish(Configuration conf, Path file) throws Exception {
        Configuration p = new Configuration(conf);
        p.set(KafkaOptions.PUBLISH, true);
        PublishJob.replay(ReplayJob.sourceFor(List.of(file.toString()), p), p);
        SERVERS.kafka().awaitCommitted(conf.get(KafkaOptions.REPLIES_TOPIC));
    }

    static void await(CensusDatabase db, String sql, long want) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        long got;
        while ((got = count(db, sql)) != want) {
            assertThat(System.nanoTime())
                    .as(sql + " = " + want + ", was " + got)
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    static long count(CensusDatabase db, String sql) throws Exception {
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            if (!r.next()) {
                return 0;
            }
            return r.getLong(1);
        }
    }
}
