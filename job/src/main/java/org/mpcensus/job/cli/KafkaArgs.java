package org.mpcensus.job.cli;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.mpcensus.job.kafka.KafkaOptions;
import picocli.CommandLine.Option;

/** The Kafka cluster and replies topic, shared by the commands that use them. */
final class KafkaArgs {
    @Option(
            names = "--kafka",
            paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (mpcensus.kafka.bootstrap-servers).")
    String bootstrap;

    @Option(
            names = "--topic",
            paramLabel = "TOPIC",
            description = "Replies topic (default mpcensus.replies).")
    String topic;

    boolean given() {
        return bootstrap != null;
    }

    /**
     * Makes a probe or replay publish its replies: transactions commit on checkpoints, so a job
     * without a checkpoint interval gets one of 10 s.
     */
    static void publish(Configuration conf) {
        conf.set(KafkaOptions.PUBLISH, true);
        checkpointByDefault(conf);
    }

    /**
     * Kafka transactions (and so exactly-once writes) commit only on checkpoints: a job that writes
     * Kafka without a checkpoint interval gets one of 10 s.
     */
    static void checkpointByDefault(Configuration conf) {
        if (conf.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).isEmpty()) {
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, CheckpointArgs.DEFAULT_INTERVAL);
        }
    }

    void apply(Configuration conf) {
        Settings.setIfGiven(conf, KafkaOptions.BOOTSTRAP_SERVERS, bootstrap);
        Settings.setIfGiven(conf, KafkaOptions.REPLIES_TOPIC, topic);
    }
}
