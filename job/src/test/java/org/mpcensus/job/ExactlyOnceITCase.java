package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.job.census.AnalysisJob;
import org.mpcensus.job.census.PublishJob;
import org.mpcensus.job.census.ReplayJob;
import org.mpcensus.job.census.SyntheticScan;
import org.mpcensus.job.kafka.KafkaOptions;
import org.mpcensus.job.runtime.JobEnvironment;
import org.mpcensus.job.schema.CensusSchema;
import org.mpcensus.job.schema.CensusTable;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.DatabaseOutput;
import org.mpcensus.job.testing.Replays;
import org.mpcensus.job.testing.Servers;
import org.mpcensus.job.testing.TableDump;
import org.mpcensus.udf.enrich.EnrichmentOptions;

/**
 * Exactly once through a failure: a backfill from Kafka into PostgreSQL and upsert topics loses a
 * TaskManager midway, restarts from its last checkpoint, and ends with the same tables and topic
 * contents as the same backfill without a failure.
 */
class ExactlyOnceITCase {
    @RegisterExtension static final Servers SERVERS = new Servers();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    () -> {
                        Configuration c = new Configuration();
                        // One slot of the job on each TaskManager, so losing either hits it.
                        c.set(
                                TaskManagerOptions.TASK_MANAGER_LOAD_BALANCE_MODE,
                                TaskManagerOptions.TaskManagerLoadBalanceMode.SLOTS);
                        return new MiniClusterResourceConfiguration.Builder()
                                .setNumberTaskManagers(2)
                                .setNumberSlotsPerTaskManager(2)
                                .setConfiguration(c)
                                .build();
                    });

    @TempDir Path dir;

    /** Topic names of this run, apart from earlier runs on a shared broker. */
    static final String RUN = Long.toHexString(System.currentTimeMillis());

    static Configuration analysis(String name) throws Exception {
        Configuration conf =
                Replays.kafka(SERVERS.kafka(), SERVERS.postgres().createDatabase(name), name + RUN);
        conf.set(KafkaOptions.REPLIES_TOPIC, "eo" + RUN + ".replies");
        conf.set(KafkaOptions.TABLE_TOPIC_PREFIX, name + RUN + ".");
        conf.set(KafkaOptions.BOUNDED, true);
        // Small polls stretch the backfill over several checkpoints.
        conf.setString(KafkaOptions.CLIENT_PREFIX + "max.poll.records", "50");
        return conf;
    }

    @Test
    void aTaskManagerLostMidwayChangesNothingInTheTablesOrTheTopics(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        // An archive of 3,000 hosts over three months, published once.
        Path archive = dir.resolve("scan.csv");
        long replies = Replays.synthetic(archive, 11, 3000);
        Files.writeString(dir.resolve("asn.dat"), SyntheticScan.asnTable());
        Configuration publish = analysis("eo_publish");
        publish.set(EnrichmentOptions.ASN_TABLE, dir.resolve("asn.dat").toString());
        publish.set(KafkaOptions.PUBLISH, true);
        PublishJob.replay(ReplayJob.sourceFor(List.of(archive.toString()), publish), publish);
        SERVERS.kafka().awaitCommitted(publish.get(KafkaOptions.REPLIES_TOPIC));

        Configuration reference = analysis("eo_reference");
        reference.set(EnrichmentOptions.ASN_TABLE, dir.resolve("asn.dat").toString());
        CensusDatabase referenceDb = CensusDatabase.fromConfiguration(reference);
        AnalysisJob.fromConfiguration(new DatabaseOutput(referenceDb, reference), reference).run();

        Configuration failing = analysis("eo_failure");
        failing.set(EnrichmentOptions.ASN_TABLE, dir.resolve("asn.dat").toString());
        CensusDatabase failingDb = CensusDatabase.fromConfiguration(failing);
        AnalysisJob job =
                AnalysisJob.fromConfiguration(new DatabaseOutput(failingDb, failing), failing);
        StreamExecutionEnvironment env = JobEnvironment.of(failing);
        JobClient client = job.start(env);
        JobID id = client.getJobID();
        // Midway: after a completed checkpoint, while the job still runs.
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (completedCheckpoints(cluster, id) < 2) {
            assertThat(System.nanoTime()).as("two checkpoints within 120 s").isLessThan(deadline);
            assertThat(client.getJobStatus().get().isGloballyTerminalState())
                    .as("the job ended before two checkpoints")
                    .isFalse();
            Thread.sleep(50);
        }
        cluster.terminateTaskManager(0).get();
        client.getJobExecutionResult().get();
        assertThat(
                        cluster.getArchivedExecutionGraph(id)
                                .get()
                                .getStatusTimestamp(JobStatus.RESTARTING))
                .as("the job restarted after losing a TaskManager")
                .isPositive();

        Map<String, List<String>> want = TableDump.of(referenceDb);
        // Every reply of the archive was counted (the sum over the counts table).
        assertThat(
                        want.get("census_counts").stream()
                                .mapToLong(
                                        r -> Long.parseLong(r.substring(r.indexOf("replies=") + 8)))
                                .sum())
                .isEqualTo(replies);
        assertThat(TableDump.of(failingDb)).isEqualTo(want);
        for (CensusTable<?> t : CensusSchema.topics()) {
            assertThat(SERVERS.kafka().materialize("eo_failure" + RUN + "." + t.name()))
                    .as(t.name())
                    .isEqualTo(SERVERS.kafka().materialize("eo_reference" + RUN + "." + t.name()));
        }
    }

    static long completedCheckpoints(MiniCluster cluster, JobID id) throws Exception {
        var stats = cluster.getExecutionGraph(id).get().getCheckpointStatsSnapshot();
        return stats == null ? 0 : stats.getCounts().getNumberOfCompletedCheckpoints();
    }
}
