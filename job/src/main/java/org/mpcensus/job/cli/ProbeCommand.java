package org.mpcensus.job.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.configuration.Configuration;
import org.mpcensus.job.census.CensusSummary;
import org.mpcensus.job.census.ProbeJob;
import org.mpcensus.job.census.PublishJob;
import org.mpcensus.job.runtime.CensusOptions;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.DatabaseOutput;
import org.mpcensus.probe.event.CaptureTime;
import org.mpcensus.probe.http.HttpOptions;
import org.mpcensus.probe.source.ProbeSource;
import org.mpcensus.probe.source.plan.ProbeSourceOptions;
import org.mpcensus.probe.source.plan.ScanPlan;
import org.mpcensus.udf.month.Months;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mpcensus probe}: a live scan on a local Flink MiniCluster (needs CAP_NET_RAW). */
@Command(
        name = "probe",
        mixinStandardHelpOptions = true,
        description = {
            "Scan with TCP SYNs carrying MP_CAPABLE (v0 with a static key, v1 without) on a local"
                    + " Flink MiniCluster and classify every reply into the census tables.",
            "Needs CAP_NET_RAW (root). Probes only the targets you name, never an address on the"
                    + " blocklist (by default the IANA special-purpose ranges), at the rate you set."
        })
public final class ProbeCommand implements Callable<Integer> {

    @Mixin CensusArgs census;

    @Mixin CheckpointArgs checkpoints;

    @Mixin WireArgs wire;

    /**
     * The scan's configuration: the -D options, with the options given on the command line on top.
     * An option given neither way keeps the default of its {@code ConfigOption}.
     */
    Configuration configuration() {
        Configuration conf = census.configuration();
        wire.apply(conf);
        // The command line prints the scan's progress unless -D turns it off.
        if (conf.getOptional(ProbeSourceOptions.STATUS).isEmpty()) {
            conf.set(ProbeSourceOptions.STATUS, true);
        }
        if (!conf.contains(ProbeSourceOptions.RATE)) {
            throw new UserError("give --rate (or -D " + ProbeSourceOptions.RATE.key() + "=...)");
        }
        return conf;
    }

    @Override
    public Integer call() throws Exception {
        Configuration conf = configuration();
        ScanPlan plan = WireArgs.plan(conf);
        if (conf.get(HttpOptions.ENABLED)) {
            try {
                HttpOptions.settings(conf);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }
        WireArgs.checkVantage(conf, plan, "tcp", plan.batchedSend());
        // A scan with an end is one bounded run (all or nothing, then continued into the census);
        // a schedule without an end writes the census as it goes.
        boolean bounded = ProbeSource.of(plan).getBoundedness() == Boundedness.BOUNDED;
        checkpoints.apply(conf, census.given("--kafka"), bounded && !census.given("--kafka"));
        if (census.given("--kafka")) {
            KafkaArgs.checkAnswers(conf);
            KafkaArgs.publish(conf);
            long start = System.nanoTime();
            PublishJob.probe(ProbeSource.of(plan), conf);
            StatusLine.printDone(
                    "probe",
                    start,
                    "replies published to "
                            + conf.get(org.mpcensus.job.kafka.KafkaOptions.REPLIES_TOPIC));
            return 0;
        }
        CensusDatabase db = census.check(conf);
        Integer firstOpenMonth = null;
        if (!bounded) {
            // Its replies are captured from now on: the months it can still change are this
            // month and those within the lateness.
            firstOpenMonth =
                    Months.index(
                                    CaptureTime.month(
                                            CaptureTime.toMicros(java.time.Instant.now())
                                                    + conf.get(ProbeSourceOptions.TIME_SHIFT)
                                                                    .toNanos()
                                                            / 1000))
                            - conf.get(CensusOptions.LATENESS_MONTHS);
        }
        census.run(
                "probe",
                census.runner(db, "probe", checkpoints)
                        .inputs(String.join(",", conf.get(ProbeSourceOptions.TARGETS)))
                        .bounded(bounded)
                        .continuing(conf, firstOpenMonth)
                        .timesHttp(conf.get(HttpOptions.ENABLED)),
                census.withStageStatus(
                        "probe",
                        conf,
                        run ->
                                new ProbeJob(
                                                ProbeSource.of(plan),
                                                List.of(new DatabaseOutput(run.database(), conf)),
                                                conf)
                                        .remembering(run.remembered())
                                        .httpRunsFrom(run.httpRunsFrom())
                                        .run()),
                CensusArgs.COUNTS);
        CensusSummary.print(db, System.out);
        return 0;
    }
}
