package org.mpcensus.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mpcensus.job.cli.ClusterJobCommand;
import org.mpcensus.job.cli.MpcensusCommand;
import org.mpcensus.job.kafka.KafkaOptions;
import org.mpcensus.job.schema.CensusSchema;
import org.mpcensus.job.sql.SqlSession;
import picocli.CommandLine;

/**
 * The manifests agree with the code: every option they set exists and parses, the job's jar path,
 * entry class and arguments are the jar's, the files the arguments name are mounted, and topic and
 * table names are those of the DDL in {@code sql/} and of the census tables.
 */
class ManifestCodeTiesTest {
    /** Every class of mpcensus's options; {@link #theOptionClassesAreAllOfThem} keeps it whole. */
    static final List<Class<?>> MPCENSUS_OPTIONS =
            List.of(
                    org.mpcensus.probe.source.plan.ProbeSourceOptions.class,
                    org.mpcensus.probe.path.PathOptions.class,
                    org.mpcensus.probe.http.HttpOptions.class,
                    org.mpcensus.job.report.ReportOptions.class,
                    org.mpcensus.job.traffic.TrafficOptions.class,
                    org.mpcensus.probe.archive.ArchiveOptions.class,
                    org.mpcensus.udf.enrich.EnrichmentOptions.class,
                    org.mpcensus.job.runtime.CensusOptions.class,
                    org.mpcensus.job.sink.SinkOptions.class,
                    KafkaOptions.class);

    /** Flink's options classes of the keys the manifests set (current keys only). */
    static final List<Class<?>> FLINK_OPTIONS =
            List.of(
                    org.apache.flink.configuration.CheckpointingOptions.class,
                    org.apache.flink.configuration.StateBackendOptions.class,
                    org.apache.flink.configuration.HighAvailabilityOptions.class,
                    org.apache.flink.configuration.TaskManagerOptions.class,
                    org.apache.flink.configuration.NettyShuffleEnvironmentOptions.class,
                    org.apache.flink.configuration.PipelineOptions.class,
                    org.apache.flink.configuration.RestartStrategyOptions.class);

    static List<Manifests.Located> all;

    @BeforeAll
    static void render() throws Exception {
        all = Manifests.all();
    }

    static Map<String, ConfigOption<?>> options(List<Class<?>> classes) throws Exception {
        Map<String, ConfigOption<?>> byKey = new HashMap<>();
        for (Class<?> c : classes) {
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers())
                        && ConfigOption.class.isAssignableFrom(f.getType())) {
                    ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                    byKey.put(o.key(), o);
                }
            }
        }
        return byKey;
    }

    @Test
    void theOptionClassesAreAllOfThem() throws Exception {
        Set<String> inSource = new TreeSet<>();
        for (String module : new String[] {"probe-source", "udfs", "job"}) {
            try (Stream<Path> files =
                    Files.walk(Manifests.root().resolve(module + "/src/main/java"))) {
                files.filter(p -> p.getFileName().toString().endsWith("Options.java"))
                        .forEach(
                                p -> inSource.add(p.getFileName().toString().replace(".java", "")));
            }
        }
        assertThat(MPCENSUS_OPTIONS.stream().map(Class::getSimpleName).toList())
                .containsExactlyInAnyOrderElementsOf(inSource);
    }

    /** The options a Flink deployment's job sees: its flinkConfiguration, then its --conf files. */
    static Map<String, String> jobOptions(Manifests.Located deployment) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        deployment
                .object()
                .path("spec")
                .path("flinkConfiguration")
                .fields()
                .forEachRemaining(e -> options.put(e.getKey(), e.getValue().asText()));
        for (String conf : confFiles(deployment)) {
            options.putAll(ClusterJobCommand.parseOptions(mountedFile(deployment, conf), conf));
        }
        return options;
    }

    static List<String> confFiles(Manifests.Located deployment) {
        List<String> args = args(deployment);
        List<String> files = new ArrayList<>();
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).equals("--conf")) {
                files.add(args.get(i + 1));
            }
        }
        return files;
    }

    static List<String> args(Manifests.Located deployment) {
        List<String> args = new ArrayList<>();
        deployment
                .object()
                .path("spec")
                .path("job")
                .path("args")
                .forEach(a -> args.add(a.asText()));
        return args;
    }

    /**
     * The text of a file as the JobManager and TaskManagers see it: the ConfigMap key mounted at
     * that path in the deployment's shared pod template.
     */
    static String mountedFile(Manifests.Located deployment, String path) {
        JsonNode pod = deployment.object().path("spec").path("podTemplate").path("spec");
        JsonNode main = pod.path("containers").get(0);
        assertThat(main.path("name").asText()).isEqualTo("flink-main-container");
        Path file = Path.of(path);
        for (JsonNode mount : main.path("volumeMounts")) {
            if (Path.of(mount.path("mountPath").asText()).equals(file.getParent())) {
                for (JsonNode volume : pod.path("volumes")) {
                    if (volume.path("name").asText().equals(mount.path("name").asText())) {
                        String configMap = volume.path("configMap").path("name").asText();
                        JsonNode data =
                                Manifests.find(all, deployment.overlay(), "ConfigMap", configMap)
                                        .object()
                                        .path("data");
                        JsonNode text = data.path(file.getFileName().toString());
                        assertThat(text.isTextual())
                                .as(deployment + ": " + path + " in ConfigMap " + configMap)
                                .isTrue();
                        return text.asText();
                    }
                }
            }
        }
        throw new AssertionError(deployment + ": nothing mounted at " + file.getParent());
    }

    @Test
    void everyOptionTheManifestsSetExistsAndParses() throws Exception {
        Map<String, ConfigOption<?>> ours = options(MPCENSUS_OPTIONS);
        Map<String, ConfigOption<?>> flink = options(FLINK_OPTIONS);
        int checked = 0;
        for (Manifests.Located d : Manifests.ofKind(all, "FlinkDeployment").toList()) {
            Map<String, String> options = jobOptions(d);
            Configuration conf = Configuration.fromMap(options);
            for (String key : options.keySet()) {
                ConfigOption<?> option;
                if (key.startsWith("mpcensus.")) {
                    option = ours.get(key);
                    assertThat(option).as(d + ": mpcensus option " + key).isNotNull();
                } else if (key.startsWith("s3.")) {
                    // Options of Flink's S3 file system plugin, not of a class on this path.
                    continue;
                } else {
                    option = flink.get(key);
                    assertThat(option)
                            .as(d + ": Flink option " + key + " (current key)")
                            .isNotNull();
                }
                // Throws when the text does not parse as the option's type.
                assertThat(conf.get(option)).as(d + ": " + key).isNotNull();
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(50);
    }

    @Test
    void theJobsEntryClassAndArgumentsAreTheCommandLinesAndTheirFilesAreMounted() throws Exception {
        Path dockerfile = Manifests.k8s().resolve("Dockerfile");
        Matcher copy =
                Pattern.compile("(?m)^COPY .*?(\\S+\\.jar) (\\S+\\.jar)$")
                        .matcher(Files.readString(dockerfile));
        assertThat(copy.find()).as("the Dockerfile copies the job jar").isTrue();
        assertThat(copy.group(1)).isEqualTo(DeploymentJarITCase.JAR);
        String jarInImage = copy.group(2);
        for (Manifests.Located d : Manifests.ofKind(all, "FlinkDeployment").toList()) {
            JsonNode job = d.object().path("spec").path("job");
            if (job.isMissingNode()) {
                continue;
            }
            assertThat(job.path("jarURI").asText()).isEqualTo("local://" + jarInImage);
            assertThat(job.path("entryClass").asText()).isEqualTo(MpcensusCommand.class.getName());
            CommandLine.ParseResult parsed =
                    new CommandLine(new MpcensusCommand())
                            .parseArgs(args(d).toArray(String[]::new));
            assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("cluster-job");
            for (String conf : confFiles(d)) {
                assertThat(mountedFile(d, conf)).as(d + " " + conf).isNotBlank();
            }
        }
    }

    @Test
    void theProbersScanFilesAreMountedAndItsScanPlanResolvesOnceTargetsAreNamed() throws Exception {
        for (Manifests.Located d :
                Manifests.ofKind(all, "FlinkDeployment")
                        .filter(l -> l.name().equals(PodPolicy.PROBER))
                        .toList()) {
            Map<String, String> options = jobOptions(d);
            for (String key :
                    List.of(
                            "mpcensus.probe.targets-file",
                            "mpcensus.probe.extra-blocklist",
                            "mpcensus.probe.opt-out")) {
                assertThat(mountedFile(d, options.get(key))).as(key).isNotNull();
            }
            // As shipped, the prober refuses to start: it names no targets.
            Path targets = Files.createTempFile("targets", ".txt");
            Files.writeString(targets, mountedFile(d, options.get("mpcensus.probe.targets-file")));
            Map<String, String> shipped = new HashMap<>(options);
            shipped.put("mpcensus.probe.targets-file", targets.toString());
            shipped.put("mpcensus.probe.extra-blocklist", targets.toString());
            shipped.remove("mpcensus.probe.opt-out");
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () ->
                                    org.mpcensus.probe.source.plan.ScanPlan.fromConfiguration(
                                            Configuration.fromMap(shipped)))
                    .hasMessageContaining("no targets");
            // With a testbed prefix named, the shipped options make a plan.
            Files.writeString(targets, "198.18.0.0/24\n");
            var plan =
                    org.mpcensus.probe.source.plan.ScanPlan.fromConfiguration(
                            Configuration.fromMap(shipped));
            assertThat(plan.origin().interfaceName()).isEqualTo("auto");
            assertThat(plan.space().size()).isEqualTo(256L * 2 * 2);
            assertThat(plan.scheduled()).isTrue();
            Files.delete(targets);
        }
    }

    @Test
    void topicsAndTablesAreThoseOfTheDdlAndTheCensusTables() throws Exception {
        String ddl =
                new String(
                        Files.readAllBytes(
                                Manifests.root()
                                        .resolve(
                                                "sql/src/main/resources/mpcensus/sql/ddl/tables-kafka.sql")));
        List<String> ddlTables = new ArrayList<>();
        Matcher m = Pattern.compile("CREATE TABLE IF NOT EXISTS (\\w+)").matcher(ddl);
        while (m.find()) {
            ddlTables.add(m.group(1));
        }
        assertThat(ddlTables)
                .containsExactlyInAnyOrderElementsOf(
                        CensusSchema.topics().stream()
                                .map(org.mpcensus.job.schema.CensusTable::name)
                                .toList());
        for (String overlay : Manifests.OVERLAYS) {
            Manifests.Located analysis =
                    Manifests.find(all, overlay, "FlinkDeployment", "mpcensus-analysis");
            Configuration conf = Configuration.fromMap(jobOptions(analysis));
            Set<String> expected = new TreeSet<>();
            expected.add(conf.get(KafkaOptions.REPLIES_TOPIC));
            expected.add(conf.get(KafkaOptions.DEAD_LETTERS_TOPIC));
            for (String t : ddlTables) {
                expected.add(conf.get(KafkaOptions.TABLE_TOPIC_PREFIX) + t);
            }
            Set<String> topics = new TreeSet<>();
            Manifests.ofKind(all, "KafkaTopic")
                    .filter(l -> l.overlay().equals(overlay))
                    .forEach(l -> topics.add(l.object().path("spec").path("topicName").asText()));
            assertThat(topics).as(overlay).isEqualTo(expected);
            // The prober publishes where the analysis job reads.
            Manifests.Located prober =
                    Manifests.find(all, overlay, "FlinkDeployment", PodPolicy.PROBER);
            Configuration probe = Configuration.fromMap(jobOptions(prober));
            assertThat(probe.get(KafkaOptions.PUBLISH)).isTrue();
            assertThat(probe.get(KafkaOptions.REPLIES_TOPIC))
                    .isEqualTo(conf.get(KafkaOptions.REPLIES_TOPIC));
            assertThat(probe.get(KafkaOptions.BOOTSTRAP_SERVERS))
                    .isEqualTo(conf.get(KafkaOptions.BOOTSTRAP_SERVERS));
        }
    }

    @Test
    void theSessionInitScriptIsTheCommandLinesForTheAnalysisJobsTopicsAndDatabase()
            throws Exception {
        Manifests.Located analysis =
                Manifests.find(all, "local", "FlinkDeployment", "mpcensus-analysis");
        Configuration conf = Configuration.fromMap(jobOptions(analysis));
        conf.set(org.mpcensus.job.sink.SinkOptions.PASSWORD, "@POSTGRES_PASSWORD@");
        Manifests.Located initMap = Manifests.find(all, "local", "ConfigMap", "mpcensus-sql-init");
        String init = initMap.object().path("data").path("init.sql").asText();
        String jar = analysis.object().path("spec").path("job").path("jarURI").asText();
        String expectedTail =
                "ADD JAR '"
                        + jar.substring("local://".length())
                        + "';\n"
                        + SqlSession.initFile(conf);
        List<String> lines = new ArrayList<>(List.of(init.split("\n", -1)));
        lines.removeIf(l -> l.startsWith("--"));
        assertThat(String.join("\n", lines))
                .as(
                        "k8s/base/sql/init.sql is the output of the mpcensus sql --print-init command"
                                + " in its header, after the ADD JAR line; regenerate it with that")
                .isEqualTo(expectedTail);
        // The gateway pod mounts that ConfigMap under the name its init container reads.
        JsonNode gateway =
                Manifests.find(all, "local", "Deployment", "mpcensus-sql-gateway")
                        .object()
                        .path("spec")
                        .path("template")
                        .path("spec");
        assertThat(gateway.path("initContainers").get(0).path("command").get(2).asText())
                .contains("/etc/mpcensus/sql/init.sql");
        assertThat(gateway.toString()).contains("\"name\":\"" + initMap.name() + "\"");
    }
}
