package org.mpcensus.job.cli;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.mpcensus.job.kafka.KafkaOptions;

/** What the commands that use a Kafka cluster check and set before their jobs. */
final class KafkaArgs {

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

    /** How long the Kafka cluster has to answer before a command that needs it is refused. */
    static final java.time.Duration ANSWER_WITHIN = java.time.Duration.ofSeconds(10);

    /**
     * Checks that the Kafka cluster of the configuration answers, before a job is built on it: an
     * empty or unresolvable address, or a cluster that does not answer within {@link
     * #ANSWER_WITHIN}, is the user's mistake (a job would otherwise wait for it forever).
     */
    static void checkAnswers(Configuration conf) {
        checkAnswers(conf, null);
    }

    /**
     * The same, and that {@code topic} exists when it is not null (a bounded read of a topic that
     * does not exist would wait for its partitions forever).
     */
    static void checkAnswers(Configuration conf, String topic) {
        String servers = conf.get(KafkaOptions.BOOTSTRAP_SERVERS);
        if (servers == null || servers.isBlank()) {
            throw new UserError(
                    "--kafka '" + (servers == null ? "" : servers) + "' names no broker");
        }
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", servers);
        int ms = (int) ANSWER_WITHIN.toMillis();
        p.put("request.timeout.ms", ms);
        p.put("default.api.timeout.ms", ms);
        p.put("socket.connection.setup.timeout.max.ms", ms);
        try (org.apache.kafka.clients.admin.Admin admin =
                org.apache.kafka.clients.admin.Admin.create(p)) {
            admin.describeCluster().nodes().get(ms, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (topic != null
                    && !admin.listTopics()
                            .names()
                            .get(ms, java.util.concurrent.TimeUnit.MILLISECONDS)
                            .contains(topic)) {
                throw new UserError(
                        "the Kafka cluster at "
                                + servers
                                + " has no topic "
                                + topic
                                + " (publish replies to it first: replay --kafka or probe --kafka)");
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new UserError("--kafka " + servers + ": " + MpcensusCommand.summary(e));
        } catch (java.util.concurrent.ExecutionException
                | java.util.concurrent.TimeoutException e) {
            throw new UserError(
                    "the Kafka cluster at "
                            + servers
                            + " does not answer within "
                            + ANSWER_WITHIN.toSeconds()
                            + " s (is it running, and is --kafka HOST:PORT right?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while asking the Kafka cluster at " + servers);
        }
    }
}
