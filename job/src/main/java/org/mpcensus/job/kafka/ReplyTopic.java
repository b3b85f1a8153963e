package org.mpcensus.job.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.mpcensus.probe.archive.ReplyArchiveJson;
import org.mpcensus.probe.event.CensusInput;
import org.mpcensus.probe.event.DeadLetter;
import org.mpcensus.probe.event.InputProgress;
import org.mpcensus.probe.event.ProbeReply;

/**
 * The raw-reply topic: every {@link ProbeReply} as one message, keyed by the probed target (so a
 * target's replies stay in order in one partition), valued by the reply as mpcensus reply JSON
 * ({@link ReplyArchiveJson}, schema version in field {@code v}). Producers write with Kafka
 * transactions (exactly once, on checkpoints); the analysis job reads committed messages only, and
 * a message that is not a reply becomes a dead letter naming its partition and offset.
 */
public final class ReplyTopic {
    private ReplyTopic() {}

    /** The exactly-once sink of replies. */
    public static KafkaSink<ProbeReply> sink(Configuration conf, String job) {
        String topic = conf.get(KafkaOptions.REPLIES_TOPIC);
        return KafkaSink.<ProbeReply>builder()
                .setBootstrapServers(KafkaOptions.bootstrap(conf))
                .setKafkaProducerConfig(producerProperties(conf))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(
                        conf.get(KafkaOptions.TRANSACTIONAL_ID_PREFIX) + "-" + job + "-replies")
                .setRecordSerializer(new Serializer(topic))
                .build();
    }

    /** The source of the replies topic, bounded when {@link KafkaOptions#BOUNDED} is set. */
    public static Source<CensusInput, ?, ?> source(Configuration conf) {
        String topic = conf.get(KafkaOptions.REPLIES_TOPIC);
        Properties p = KafkaOptions.clientProperties(conf);
        p.setProperty("isolation.level", "read_committed");
        var b =
                KafkaSource.<CensusInput>builder()
                        .setBootstrapServers(KafkaOptions.bootstrap(conf))
                        .setTopics(topic)
                        .setGroupId(conf.get(KafkaOptions.GROUP_ID))
                        .setProperties(p)
                        .setStartingOffsets(
                                OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                        .setDeserializer(new Deserializer());
        if (conf.get(KafkaOptions.BOUNDED)) {
            b.setBounded(OffsetsInitializer.latest());
            return new BoundedKafkaSource<>(b.build());
        }
        return b.build();
    }

    static Properties producerProperties(Configuration conf) {
        Properties p = KafkaOptions.clientProperties(conf);
        p.setProperty(
                "transaction.timeout.ms",
                Long.toString(conf.get(KafkaOptions.TRANSACTION_TIMEOUT).toMillis()));
        return p;
    }

    /** Reply to keyed message. */
    static final class Serializer implements KafkaRecordSerializationSchema<ProbeReply> {
        private final String topic;

        Serializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                ProbeReply r, KafkaSinkContext context, Long timestamp) {
            // The message time is the publishing time, not the capture time: a backfill of last
            // year's scans must not fall to the topic's time-based retention at once. The capture
            // time travels in the value and is what the analysis uses as event time.
            return new ProducerRecord<>(
                    topic,
                    null,
                    null,
                    r.probe().target().getBytes(StandardCharsets.UTF_8),
                    ReplyArchiveJson.write(r).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Message to reply, or to a dead letter when it is not one. */
    static final class Deserializer implements KafkaRecordDeserializationSchema<CensusInput> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> m, Collector<CensusInput> out) {
            String source = "kafka:" + m.topic();
            String location = "partition " + m.partition() + " offset " + m.offset();
            if (m.value() == null) {
                InputProgress.recordsRead(1, 1);
                out.collect(
                        CensusInput.of(
                                new DeadLetter(
                                        source, location, "empty message", new byte[0], -1)));
                return;
            }
            try {
                CensusInput reply =
                        CensusInput.of(
                                ReplyArchiveJson.parse(
                                        new String(m.value(), StandardCharsets.UTF_8)));
                InputProgress.recordsRead(1, 0);
                out.collect(reply);
            } catch (RuntimeException e) {
                InputProgress.recordsRead(1, 1);
                // Any message, however broken, becomes a dead letter: none stops the job.
                out.collect(
                        CensusInput.of(
                                new DeadLetter(
                                        source,
                                        location,
                                        e instanceof IllegalArgumentException
                                                ? e.getMessage()
                                                : DeadLetter.reasonOf(e),
                                        m.value(),
                                        -1)));
            }
        }

        @Override
        public TypeInformation<CensusInput> getProducedType() {
            return TypeInformation.of(CensusInput.class);
        }
    }
}
