package org.mpcensus.job.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import org.apache.flink.configuration.Configuration;
import org.mpcensus.job.census.CensusSummary;
import org.mpcensus.job.census.PublishJob;
import org.mpcensus.job.census.ReplayJob;
import org.mpcensus.job.kafka.KafkaOptions;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.DatabaseOutput;
import org.mpcensus.job.sink.SinkOptions;
import org.mpcensus.probe.archive.ArchiveFormat;
import org.mpcensus.probe.archive.ArchiveOptions;
import org.mpcensus.probe.archive.ZmapCsvDecoder;
import org.mpcensus.probe.event.InputProgress;
import org.mpcensus.udf.enrich.AsNames;
import org.mpcensus.udf.enrich.EnrichmentOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mpcensus replay}: runs archived replies through the census on a local Flink MiniCluster.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Replay archived replies (ZMap CSV, pcap/pcapng, mpcensus JSON Lines) through the census"
                    + " on a local Flink MiniCluster, into DuckDB (default) or PostgreSQL, then print"
                    + " a summary.",
            "Database credentials for PostgreSQL come from MPCENSUS_DB_USER/MPCENSUS_DB_PASSWORD"
                    + " (or PGUSER/PGPASSWORD).",
            "With --kafka, publish the archive to the replies topic instead, for a backfill"
                    + " through `mpcensus analyze`."
        })
public final class ReplayCommand implements Callable<Integer> {

    @Mixin CensusArgs census;

    @Mixin CheckpointArgs checkpoints;

    @Mixin InputArgs input;

    @Option(
            names = "--no-summary",
            description = "Print only the count of late replies, not the summary.")
    boolean noSummary;

    /** The -D options with the command line's flags on top ({@link CensusArgs#configuration}). */
    Configuration configuration() {
        return census.configuration();
    }

    @Override
    public Integer call() throws Exception {
        Configuration conf = configuration();

        Preflight.archiveSettings(conf);
        CensusDatabase db = census.check(conf);
        List<String> problems = preflight(conf);
        if (!problems.isEmpty()) {
            throw new UserError(
                    problems.get(0)
                            + (problems.size() > 1
                                    ? " (and " + (problems.size() - 1) + " more problems)"
                                    : ""));
        }
        checkpoints.apply(
                conf,
                census.given("--kafka"),
                !census.given("--kafka") && conf.getOptional(ArchiveOptions.WATCH).isEmpty());
        if (census.given("--kafka")) {
            KafkaArgs.checkAnswers(conf);
            KafkaArgs.publish(conf);
            long start = System.nanoTime();
            long rows = InputProgress.records();
            long unreadable = InputProgress.deadLetters();
            census.withStatus(
                            "replay",
                            conf,
                            input.bytes(),
                            none -> PublishJob.replay(ReplayJob.sourceFor(input.files, conf), conf))
                    .run(null);
            StatusLine.printDone(
                    "replay",
                    start,
                    String.format(
                            "%,d rows published, %,d of them unreadable",
                            InputProgress.records() - rows,
                            InputProgress.deadLetters() - unreadable));
            System.out.println(
                    "published to "
                            + conf.get(KafkaOptions.REPLIES_TOPIC)
                            + " (bad input to "
                            + conf.get(KafkaOptions.DEAD_LETTERS_TOPIC)
                            + ")");
            return 0;
        }
        boolean bounded = conf.getOptional(ArchiveOptions.WATCH).isEmpty();
        census.run(
                "replay",
                census.runner(db, "replay", checkpoints)
                        .inputs(input.description())
                        .bounded(bounded)
                        .scanIdsNameFiles(conf.getOptional(ArchiveOptions.SCAN_ID).isEmpty())
                        .files(input.files, conf.get(SinkOptions.REAPPLY))
                        .continuing(conf, null),
                census.withStatus(
                        "replay",
                        conf,
                        bounded ? input.bytes() : -1,
                        run ->
                                new ReplayJob(
                                                ReplayJob.sourceFor(run.filesToRead(), conf),
                                                List.of(new DatabaseOutput(run.database(), conf)),
                                                conf)
                                        .remembering(run.remembered())
                                        .run()),
                CensusArgs.COUNTS);
        if (!noSummary) {
            CensusSummary.print(
                    db,
                    conf.getOptional(EnrichmentOptions.AS_NAMES).isPresent()
                            ? AsNames.load(Path.of(conf.get(EnrichmentOptions.AS_NAMES)))
                            : null,
                    System.out);
        } else {
            CensusSummary.printLate(db, System.out);
        }
        return 0;
    }

    /** Checks what can be checked before a job starts: files exist, formats and capture times. */
    private List<String> preflight(Configuration conf) throws IOException {
        List<String> problems = new ArrayList<>();
        for (String file : input.files) {
            String problem = InputArgs.problem(file);
            if (problem != null) {
                problems.add(problem);
                continue;
            }
            Path p = Path.of(file);
            if (Files.isDirectory(p)) {
                continue;
            }
            ArchiveFormat kind;
            try {
                kind =
                        conf.getOptional(ArchiveOptions.FORMAT)
                                .map(ArchiveFormat::of)
                                .orElseGet(() -> ArchiveFormat.detect(p.getFileName().toString()));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                continue;
            }
            if (kind == ArchiveFormat.CSV
                    && conf.getOptional(ArchiveOptions.SCAN_TIME).isEmpty()
                    && !csvHasTime(p)) {
                problems.add(
                        file
                                + " has no timestamp_ts or timestamp_str column: give --scan-time"
                                + " (when the scan ran, e.g. 2021-05-01T00:00:00Z)");
            }
        }
        return problems;
    }

    /**
     * Whether a CSV file's header names a capture-time column; true when the file cannot tell
     * (unreadable, not gzip, not a regular file: the replay reports it as a dead letter).
     */
    private static boolean csvHasTime(Path p) {
        if (!Files.isRegularFile(p)) {
            return true;
        }
        try (InputStream raw = Files.newInputStream(p);
                InputStream in = p.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            return ZmapCsvDecoder.headerNamesCaptureTime(in, 64 * 1024);
        } catch (IOException e) {
            return true;
        }
    }
}
