package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mpcensus.job.census.AnalysisJob;
import org.mpcensus.job.census.PublishJob;
import org.mpcensus.job.census.ReplayJob;
import org.mpcensus.job.census.SyntheticScan;
import org.mpcensus.job.kafka.KafkaOptions;
import org.mpcensus.job.runtime.CheckpointDirectory;
import org.mpcensus.job.runtime.JobEnvironment;
import org.mpcensus.job.schema.CensusSchema;
import org.mpcensus.job.schema.CensusTable;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.DatabaseOutput;
import org.mpcensus.job.testing.ClusterJar;
import org.mpcensus.job.testing.Launcher;
import org.mpcensus.job.testing.Replays;
import org.mpcensus.job.testing.Servers;
import org.mpcensus.job.testing.TableDump;
import org.mpcensus.job.testing.Trees;
import org.mpcensus.udf.enrich.EnrichmentOptions;

/**
 * The analysis job (Kafka to the census, PostgreSQL and table topics) on a real Flink cluster of
 * separate processes started by {@code job/cluster/flink-cluster}: a JobManager JVM and TaskManager
 * JVMs, submitted with Flink's own REST client. The processes run from Flink's jars and the cluster
 * jar ({@link ClusterJar}), as in the image, so every class the job needs on a cluster is in it. A
 * TaskManager killed with {@code kill -9} and replaced by a fresh process, and a stop with a
 * savepoint restored at another parallelism, both end with the tables and topics of an analysis
 * that was never interrupted.
 */
class FlinkClusterITCase {
    @RegisterExtension static final Servers SERVERS = new Servers();

    static final String RUN = "cluster" + Long.toHexString(System.currentTimeMillis());
    static final ObjectMapper JSON = new ObjectMapper();

    static Path dir;
    static int port;
    static Path asnTable;
    static Map<String, List<String>> reference;
    static long started;

    /**
     * The working directories of the cluster's TaskManagers in the system's temporary directory
     * (none: they are in the cluster's DIR).
     */
    static List<String> flinkTmp(long since) throws Exception {
        try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("tm_taskmanager-"))
                    .filter(p -> p.toFile().lastModified() >= since)
                    .map(Path::toString)
                    .sorted()
                    .toList();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        started = System.currentTimeMillis();
        dir = Files.createTempDirectory("mpcensus-cluster-it");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        cluster("start", "--port", String.valueOf(port), "--taskmanagers", "2", "--slots", "2");

        // An archive of 6,000 hosts over three months, published once.
        Path archive = dir.resolve("scan.csv");
        Replays.synthetic(archive, 11, 6000);
        asnTable = Files.writeString(dir.resolve("asn.dat"), SyntheticScan.asnTable());
        // Published from this JVM's MiniCluster.
        Configuration publish = Replays.kafka(SERVERS.kafka(), "duckdb:unused", RUN + "publish");
        publish.set(KafkaOptions.REPLIES_TOPIC, RUN + ".replies");
        publish.set(KafkaOptions.PUBLISH, true);
        PublishJob.replay(ReplayJob.sourceFor(List.of(archive.toString()), publish), publish);
        SERVERS.kafka().awaitCommitted(publish.get(KafkaOptions.REPLIES_TOPIC));

        // The analysis without a failure, on the same cluster.
        Configuration conf = analysis("reference");
        CensusDatabase db = CensusDatabase.fromConfiguration(conf);
        AnalysisJob.fromConfiguration(new DatabaseOutput(db, conf), conf).run();
        reference = TableDump.of(db);
        assertThat(reference.get("census_hosts")).hasSizeGreaterThan(10_000);
    }

    @AfterAll
    static void stop() throws Exception {
        if (dir != null) {
            cluster("stop");
            // The TaskManagers' and JobManager's working files stayed in the cluster's directory.
            assertThat(flinkTmp(started)).isEmpty();
            Trees.delete(dir);
        }
    }

    @Test
    void aTaskManagerKilledMidwayAndReplacedByANewProcessChangesNoTableAndNoTopic()
            throws Exception {
        Configuration conf = analysis("failover");
        CensusDatabase db = CensusDatabase.fromConfiguration(conf);
        JobClient job = startUntilCheckpoint(conf, db, 2);
        String victim = taskManagerWithTasks();
        long pid = Long.parseLong(Files.readString(dir.resolve(victim + ".pid")).strip());
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        // kill -9: the process ends without a word to the JobManager.
        process.destroyForcibly();
        process.onExit().get(30, TimeUnit.SECONDS);
        cluster("add-taskmanager");
        job.getJobExecutionResult().get(300, TimeUnit.SECONDS);

        assertThat(rest("/jobs/" + job.getJobID()).at("/timestamps/RESTARTING").asLong())
                .as("the job restarted after losing " + victim)
                .isPositive();
        assertThat(TableDump.of(db)).isEqualTo(reference);
        assertTopicsEqual("failover");
    }

    @Test
    void aSavepointRestoredAtParallelismThreeContinuesToTheSameTablesAndTopics() throws Exception {
        Configuration conf = analysis("rescale");
        CensusDatabase db = CensusDatabase.fromConfiguration(conf);
        JobClient job = startUntilCheckpoint(conf, db, 1);
        String savepoint = stopWithSavepoint(job);
        assertThat(TableDump.of(db)).as("stopped midway").isNotEqualTo(reference);

        Configuration rescaled = new Configuration(conf);
        rescaled.set(CoreOptions.DEFAULT_PARALLELISM, 3);
        rescaled.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        JobClient restored =
                AnalysisJob.fromConfiguration(new DatabaseOutput(db, rescaled), rescaled)
                        .start(JobEnvironment.of(rescaled));
        restored.getJobExecutionResult().get(300, TimeUnit.SECONDS);
        assertThat(rest("/jobs/" + restored.getJobID() + "/plan").at("/plan/nodes"))
                .anyMatch(n -> n.get("parallelism").asInt() == 3);
        assertThat(TableDump.of(db)).isEqualTo(reference);
        assertTopicsEqual("rescale");
    }

    /** A bounded analysis named {@code name} for the cluster, with its own database and topics. */
    static Configuration analysis(String name) throws Exception {
        Configuration conf =
                Replays.kafka(
                        SERVERS.kafka(),
                        SERVERS.postgres().createDatabase(RUN + "_" + name),
                        RUN + name);
        conf.set(KafkaOptions.REPLIES_TOPIC, RUN + ".replies");
        conf.set(KafkaOptions.TABLE_TOPIC_PREFIX, RUN + name + ".");
        conf.set(KafkaOptions.BOUNDED, true);
        conf.set(EnrichmentOptions.ASN_TABLE, asnTable.toString());
        // Small polls stretch the backfill over several checkpoints.
        conf.setString(KafkaOptions.CLIENT_PREFIX + "max.poll.records", "50");
        conf.set(DeploymentOptions.TARGET, JobEnvironment.REMOTE);
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, port);
        conf.set(
                org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                dir.resolve("checkpoints-" + name).toUri().toString());
        return conf;
    }

    static Path checkpoints(Configuration conf) {
        return Path.of(
                URI.create(
                        conf.get(
                                org.apache.flink.configuration.CheckpointingOptions
                                        .CHECKPOINTS_DIRECTORY)));
    }

    /**
     * Submits the analysis and waits until it has completed checkpoint {@code n} and still runs.
     */
    static JobClient startUntilCheckpoint(Configuration conf, CensusDatabase db, int n)
            throws Exception {
        JobClient job =
                AnalysisJob.fromConfiguration(new DatabaseOutput(db, conf), conf)
                        .start(JobEnvironment.of(conf));
        Path checkpoints = checkpoints(conf);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (CheckpointDirectory.newestId(checkpoints) < n) {
            assertThat(job.getJobStatus().get().isGloballyTerminalState())
                    .as("the job ended before checkpoint " + n)
                    .isFalse();
            assertThat(System.nanoTime()).as("checkpoint " + n + " in 120 s").isLessThan(deadline);
            Thread.sleep(20);
        }
        return job;
    }

    /**
     * Stops the job with a savepoint. A savepoint is declined ("task local checkpoint failure")
     * when it meets a task that is just finishing (the enrichment-tables source ends at once); the
     * job runs on, and, as a user would, the stop is tried again.
     */
    static String stopWithSavepoint(JobClient job) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return job.stopWithSavepoint(
                                false,
                                dir.resolve("savepoints").toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get(120, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException declined) {
                if (attempt == 5
                        || job.getJobStatus().get()
                                != org.apache.flink.api.common.JobStatus.RUNNING) {
                    throw declined;
                }
                Thread.sleep(500);
            }
        }
    }

    /** The id of a TaskManager that runs some of the job: the name of its .pid file. */
    static String taskManagerWithTasks() throws Exception {
        for (JsonNode tm : rest("/taskmanagers").get("taskmanagers")) {
            if (tm.get("freeSlots").asInt() < tm.get("slotsNumber").asInt()) {
                return tm.get("id").asText();
            }
        }
        throw new AssertionError("no TaskManager runs the job");
    }

    static void assertTopicsEqual(String name) {
        for (CensusTable<?> t : CensusSchema.topics()) {
            assertThat(SERVERS.kafka().materialize(RUN + name + "." + t.name()))
                    .as(t.name())
                    .isEqualTo(SERVERS.kafka().materialize(RUN + "reference." + t.name()));
        }
    }

    static JsonNode rest(String path) throws Exception {
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create("http://127.0.0.1:" + port + path))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** Runs {@code job/cluster/flink-cluster COMMAND --dir DIR ...} and checks it succeeded. */
    static void cluster(String command, String... args) throws Exception {
        List<String> line =
                Launcher.with(
                        List.of("job/cluster/flink-cluster", command, "--dir", dir.toString()),
                        args);
        // Flink's jars and the cluster jar, as in the image: not the command line's fat jar.
        Process p =
                Launcher.start(
                        line,
                        dir,
                        "flink-cluster-" + command,
                        Map.of("MPCENSUS_CLUSTER_CLASSPATH", ClusterJar.clusterClassPath()));
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", line)).isTrue();
        assertThat(p.exitValue())
                .as(Files.readString(dir.resolve("flink-cluster-" + command + ".err")))
                .isZero();
    }
}
