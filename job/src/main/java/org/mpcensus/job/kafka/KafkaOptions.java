package org.mpcensus.job.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/** Options of mpcensus's Kafka topics: the raw-reply topic and the upsert topics of the tables. */
public final class KafkaOptions {

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            ConfigOptions.key("mpcensus.kafka.bootstrap-servers")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Kafka bootstrap servers, e.g. broker1:9092,broker2:9092.");

    public static final ConfigOption<Boolean> PUBLISH =
            ConfigOptions.key("mpcensus.kafka.publish")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "The probe and replay jobs publish their replies to the replies topic"
                                    + " (and a replay its bad input to the dead-letters topic)"
                                    + " instead of running the census themselves.");

    public static final ConfigOption<String> REPLIES_TOPIC =
            ConfigOptions.key("mpcensus.kafka.replies-topic")
                    .stringType()
                    .defaultValue("mpcensus.replies")
                    .withDescription(
                            "Topic of raw replies (JSON, mpcensus reply schema v1, keyed by"
                                    + " target).");

    public static final ConfigOption<String> DEAD_LETTERS_TOPIC =
            ConfigOptions.key("mpcensus.kafka.dead-letters-topic")
                    .stringType()
                    .defaultValue("mpcensus.replay_dead_letters")
                    .withDescription(
                            "Topic where a publishing replay puts the archive's bad input (upsert"
                                    + " JSON keyed by source and location).");

    public static final ConfigOption<String> TABLE_TOPIC_PREFIX =
            ConfigOptions.key("mpcensus.kafka.table-topic-prefix")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "When set, the analysis job also writes every census table as an"
                                    + " upsert topic <prefix><table> (e.g. mpcensus.census_counts"
                                    + " with prefix 'mpcensus.'): JSON key of the key columns, JSON"
                                    + " value of all columns, a tombstone for a deleted row.");

    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("mpcensus.kafka.group-id")
                    .stringType()
                    .defaultValue("mpcensus-analysis")
                    .withDescription(
                            "Consumer group of the analysis job (offsets are committed"
                                    + " on checkpoints; the checkpoint is what counts).");

    public static final ConfigOption<Boolean> BOUNDED =
            ConfigOptions.key("mpcensus.kafka.bounded")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Read the replies topic up to the offsets that are latest when the job"
                                    + " starts, then finish (a backfill); by default the job"
                                    + " keeps reading.");

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            ConfigOptions.key("mpcensus.kafka.out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "How far behind the latest capture time the watermark of the replies"
                                    + " topic trails (vantage points publish independently)."
                                    + " A bounded analysis (mpcensus.kafka.bounded, --until-latest)"
                                    + " has no watermark until its end unless this is set, so a"
                                    + " backfill in any time order is exact, like a replay of"
                                    + " files.");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("mpcensus.kafka.transactional-id-prefix")
                    .stringType()
                    .defaultValue("mpcensus")
                    .withDescription(
                            "Prefix of the exactly-once producers' transactional ids; jobs that"
                                    + " run at the same time against one cluster need different"
                                    + " prefixes.");

    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
            ConfigOptions.key("mpcensus.kafka.transaction-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(15))
                    .withDescription(
                            "Producer transaction timeout: longer than the checkpoint interval plus"
                                    + " a restart, at most the broker's transaction.max.timeout.ms.");

    /** Prefix of options passed to the Kafka clients as they are (security, SASL, ...). */
    public static final String CLIENT_PREFIX = "mpcensus.kafka.client.";

    private KafkaOptions() {}

    /** The bootstrap servers, or an error naming the option. */
    public static String bootstrap(Configuration conf) {
        return conf.getOptional(BOOTSTRAP_SERVERS)
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "no Kafka cluster: set " + BOOTSTRAP_SERVERS.key()));
    }

    /** Client properties given as {@code mpcensus.kafka.client.<kafka property>}. */
    public static Properties clientProperties(Configuration conf) {
        Properties p = new Properties();
        for (Map.Entry<String, String> e : conf.toMap().entrySet()) {
            if (e.getKey().startsWith(CLIENT_PREFIX)) {
                p.setProperty(e.getKey().substring(CLIENT_PREFIX.length()), e.getValue());
            }
        }
        return p;
    }
}
