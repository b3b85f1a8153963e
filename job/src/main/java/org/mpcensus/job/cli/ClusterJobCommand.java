package org.mpcensus.job.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.mpcensus.job.census.AnalysisJob;
import org.mpcensus.job.census.ProbeJob;
import org.mpcensus.job.census.PublishJob;
import org.mpcensus.job.kafka.KafkaOptions;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.DatabaseOutput;
import org.mpcensus.probe.source.ProbeSource;
import org.mpcensus.probe.source.plan.ScanPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mpcensus cluster-job}: the entry point of a job submitted to a Flink cluster (the
 * Kubernetes operator's application mode, or {@code flink run}). Everything comes from Flink
 * options: the cluster's configuration, then the {@code --conf} files on top (a mounted ConfigMap,
 * so a scan's targets and rate change without a new image). Runs in the JobManager's JVM: it checks
 * nothing that only a TaskManager can have, such as the capture interface.
 */
@Command(
        name = "cluster-job",
        mixinStandardHelpOptions = true,
        description = {
            "Run the prober (probe) or the analysis job (analyze) on the Flink cluster this is"
                    + " submitted to, configured only by Flink options: the cluster's own and the"
                    + " --conf files (flat 'key: value' lines, '#' comments), later files winning.",
            "probe publishes to Kafka when mpcensus.kafka.publish is true, else writes the census"
                    + " tables to mpcensus.sink.url; analyze reads the replies topic."
        })
public final class ClusterJobCommand implements Callable<Integer> {

    /** What the submitted job does. */
    public enum Kind {
        probe,
        analyze
    }

    @Parameters(index = "0", paramLabel = "probe|analyze", description = "The job to run.")
    Kind kind;

    @Option(
            names = "--conf",
            paramLabel = "FILE",
            description = "Flink/mpcensus options, 'key: value' per line.")
    List<Path> confFiles = List.of();

    @Override
    public Integer call() throws Exception {
        Configuration conf =
                Configuration.fromMap(
                        StreamExecutionEnvironment.getExecutionEnvironment()
                                .getConfiguration()
                                .toMap());
        for (Path file : confFiles) {
            conf.addAll(Configuration.fromMap(readOptions(file)));
        }
        // As the local commands do: Kafka output commits on checkpoints.
        if (kind == Kind.analyze || conf.get(KafkaOptions.PUBLISH)) {
            KafkaArgs.checkpointByDefault(conf);
        }
        if (kind == Kind.probe) {
            if (conf.get(KafkaOptions.PUBLISH)) {
                PublishJob.probe(ProbeSource.of(ScanPlan.fromConfiguration(conf)), conf);
            } else {
                ProbeJob.fromConfiguration(conf).run();
            }
        } else {
            AnalysisJob.fromConfiguration(
                            new DatabaseOutput(CensusDatabase.fromConfiguration(conf), conf), conf)
                    .run();
        }
        return 0;
    }

    /**
     * The options of a file of flat {@code key: value} lines (Flink's own flat format).
     *
     * @throws IOException naming the file and line of a line that is not {@code key: value}
     */
    public static Map<String, String> readOptions(Path file) throws IOException {
        return parseOptions(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * The options of flat {@code key: value} lines: blank lines and {@code #} comments are skipped,
     * a value may be quoted.
     *
     * @param source the name of the text in error messages
     * @throws IOException naming the source and line of a line that is not {@code key: value}
     */
    public static Map<String, String> parseOptions(String text, String source) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(": ");
            if (colon <= 0 && !line.endsWith(":")) {
                throw new IOException(
                        source + ":" + (i + 1) + ": expected 'key: value', got '" + line + "'");
            }
            int end = colon > 0 ? colon : line.length() - 1;
            String value = colon > 0 ? line.substring(colon + 2).strip() : "";
            if (value.length() >= 2
                    && (value.startsWith("\"") && value.endsWith("\"")
                            || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            options.put(line.substring(0, end).strip(), value);
        }
        return options;
    }
}
