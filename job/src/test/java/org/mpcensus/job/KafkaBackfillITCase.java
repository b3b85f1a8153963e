package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.job.census.AnalysisJob;
import org.mpcensus.job.census.PublishJob;
import org.mpcensus.job.census.ReplayJob;
import org.mpcensus.job.kafka.KafkaOptions;
import org.mpcensus.job.schema.CensusTable;
import org.mpcensus.job.schema.CensusTables;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.DatabaseOutput;
import org.mpcensus.job.testing.KafkaBroker;
import org.mpcensus.job.testing.Replays;
import org.mpcensus.job.testing.TableDump;

/**
 * The production path on one machine, with a real broker: a replay publishes an archive to the
 * replies topic, the analysis job reads it back in event time and writes the tables and their
 * upsert topics.
 */
class KafkaBackfillITCase {
    static KafkaBroker kafka;

    @TempDir Path dir;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaBroker.start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** Publishes the sample archive to the replies topic with a replay. */
    static void publish(Configuration conf) throws Exception {
        Configuration p = new Configuration(conf);
        p.set(KafkaOptions.PUBLISH, true);
        PublishJob.replay(ReplayJob.sourceFor(List.of(Replays.sample().toString()), p), p);
    }

    /** Names of this run, apart from earlier runs on a shared broker. */
    static final String RUN = "backfill" + Long.toHexString(System.currentTimeMillis());

    @Test
    void aBackfillThroughKafkaGivesTheTablesOfADirectReplayAndTheirTopics() throws Exception {
        Configuration conf = Replays.kafka(kafka, "duckdb:" + dir.resolve("kafka.duckdb"), RUN);
        conf.set(KafkaOptions.TABLE_TOPIC_PREFIX, RUN + ".");
        publish(conf);
        kafka.awaitCommitted(RUN + ".replies");
        // A message that is not a reply: a dead letter of the analysis, not a crash.
        kafka.produce(
                RUN + ".replies",
                List.<byte[][]>of(
                        new byte[][] {
                            "198.18.0.1".getBytes(StandardCharsets.UTF_8),
                            "{\"v\":1,\"target\":\"nowhere\"}".getBytes(StandardCharsets.UTF_8)
                        }));
        conf.set(KafkaOptions.BOUNDED, true);
        CensusDatabase db = CensusDatabase.fromConfiguration(conf);
        AnalysisJob.fromConfiguration(new DatabaseOutput(db, conf), conf).run();

        Map<String, List<String>> viaKafka = TableDump.of(db);
        Map<String, List<String>> direct =
                TableDump.of(
                        Replays.run(
                                Replays.conf("duckdb:" + dir.resolve("direct.duckdb")),
                                List.of(Replays.sample().toString())));
        // The archive's broken rows went to the dead-letters topic; the analysis has the
        // malformed replies and the broken message.
        List<String> letters = viaKafka.remove("dead_letters");
        List<String> directLetters = direct.remove("dead_letters");
        assertThat(viaKafka).isEqualTo(direct);
        assertThat(letters)
                .anyMatch(
                        l ->
                                l.contains("source=kafka:" + RUN + ".replies")
                                        && l.contains("offset"));
        assertThat(letters).anyMatch(l -> l.contains("MALFORMED"));
        Map<String, String> published = kafka.materialize(RUN + ".replay_dead_letters");
        assertThat(published.size() + letters.size()).isEqualTo(directLetters.size() + 1);
        assertThat(published.values())
                .isNotEmpty()
                .allMatch(v -> v.contains("zmap-sample.csv") && v.contains("line "));

        // Each table topic holds exactly the table's rows.
        ObjectMapper json = new ObjectMapper();
        for (CensusTable<?> t : List.of(CensusTables.COUNTS, CensusTables.OVERLAP)) {
            Map<String, String> topic = kafka.materialize(RUN + "." + t.name());
            List<String> rows = direct.get(t.name());
            assertThat(topic).as(t.name()).hasSameSizeAs(rows);
            List<String> fromTopic = new java.util.ArrayList<>();
            for (String value : topic.values()) {
                JsonNode n = json.readTree(value);
                StringBuilder row = new StringBuilder();
                for (String c : t.columnNames()) {
                    row.append(row.length() == 0 ? "" : "|")
                            .append(c)
                            .append('=')
                            .append(n.get(c).asText());
                }
                fromTopic.add(row.toString());
            }
            fromTopic.sort(null);
            assertThat(fromTopic).as(t.name()).isEqualTo(rows);
        }
    }

    @Test
    void theClusterEntryPointConfiguredOnlyByAConfFileRunsTheSameAnalysis() throws Exception {
        String run = RUN + "cluster";
        Configuration conf = Replays.kafka(kafka, "duckdb:" + dir.resolve("cluster.duckdb"), run);
        publish(conf);
        kafka.awaitCommitted(run + ".replies");
        conf.set(KafkaOptions.BOUNDED, true);
        // What a FlinkDeployment's ConfigMap would hold: flat 'key: value' lines.
        StringBuilder text = new StringBuilder("# the analysis job's options\n");
        conf.toMap().forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
        Path file = java.nio.file.Files.writeString(dir.resolve("analysis.conf"), text);

        int exit =
                new picocli.CommandLine(new org.mpcensus.job.cli.MpcensusCommand())
                        .execute("cluster-job", "analyze", "--conf", file.toString());
        assertThat(exit).isZero();

        Map<String, List<String>> viaEntryPoint =
                TableDump.of(CensusDatabase.fromConfiguration(conf));
        Map<String, List<String>> direct =
                TableDump.of(
                        Replays.run(
                                Replays.conf("duckdb:" + dir.resolve("direct-cluster.duckdb")),
                                List.of(Replays.sample().toString())));
        viaEntryPoint.remove("dead_letters");
        direct.remove("dead_letters");
        assertThat(viaEntryPoint).isEqualTo(direct);
    }
}
