package org.mpcensus.job.cli;

import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.mpcensus.job.census.AnalysisJob;
import org.mpcensus.job.census.CensusSummary;
import org.mpcensus.job.kafka.KafkaOptions;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.DatabaseOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mpcensus analyze}: the census over the replies topic, on a local Flink MiniCluster. */
@Command(
        name = "analyze",
        mixinStandardHelpOptions = true,
        description = {
            "Run the census over the Kafka replies topic that probers and replays publish to,"
                    + " into DuckDB or PostgreSQL and, with --table-topics, upsert topics;"
                    + " exactly once, with checkpoints.",
            "Runs until stopped, or with --until-latest up to the messages present at the start."
        })
public final class AnalyzeCommand implements Callable<Integer> {

    @Mixin CensusArgs census;

    @Mixin CheckpointArgs checkpoints;

    /** The -D options with the command line's flags on top ({@link CensusArgs#configuration}). */
    Configuration configuration() {
        return census.configuration();
    }

    @Override
    public Integer call() throws Exception {
        Configuration conf = configuration();
        if (conf.getOptional(KafkaOptions.BOOTSTRAP_SERVERS).isEmpty()) {
            throw new UserError("give the Kafka cluster with --kafka HOST:PORT");
        }
        KafkaArgs.checkAnswers(
                conf, conf.get(KafkaOptions.BOUNDED) ? conf.get(KafkaOptions.REPLIES_TOPIC) : null);
        // Exactly once: Kafka offsets and table-topic transactions commit on checkpoints.
        checkpoints.apply(conf, true, conf.get(KafkaOptions.BOUNDED));
        CensusDatabase db = census.check(conf);
        census.run(
                "analyze",
                census.runner(db, "analyze", checkpoints)
                        .inputs("kafka:" + conf.get(KafkaOptions.REPLIES_TOPIC))
                        .bounded(conf.get(KafkaOptions.BOUNDED))
                        .continuing(conf, null),
                census.withStatus(
                        "analyze",
                        conf,
                        -1,
                        run ->
                                AnalysisJob.fromConfiguration(
                                                new DatabaseOutput(run.database(), conf), conf)
                                        .remembering(run.remembered())
                                        .run()),
                CensusArgs.COUNTS);
        CensusSummary.print(db, null, System.out);
        return 0;
    }
}
