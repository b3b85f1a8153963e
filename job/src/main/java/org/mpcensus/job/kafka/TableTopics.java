package org.mpcensus.job.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.mpcensus.job.output.CensusStreams;
import org.mpcensus.job.sink.CensusTables;

/**
 * The census tables as upsert (changelog) topics, one per table, named {@code <prefix><table>}: the
 * message key is a JSON object of the table's key columns, the value a JSON object of all its
 * columns, or a tombstone (null value) when the row is deleted. Readable by Flink SQL's {@code
 * upsert-kafka} connector with {@code json} key and value formats. Written exactly once, with Kafka
 * transactions committed on checkpoints.
 */
public final class TableTopics {
    /** Flink SQL's JSON format for TIMESTAMP ("SQL" standard). */
    static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private final Configuration conf;
    private final String prefix;

    public TableTopics(Configuration conf) {
        this.conf = conf;
        this.prefix = conf.get(KafkaOptions.TABLE_TOPIC_PREFIX);
    }

    /** When the configuration asks for table topics, the writer of them; else null. */
    public static TableTopics fromConfiguration(Configuration conf) {
        return conf.getOptional(KafkaOptions.TABLE_TOPIC_PREFIX).isPresent()
                ? new TableTopics(conf)
                : null;
    }

    /** The topic of a table. */
    public String topic(CensusTables.Table<?> table) {
        return prefix + table.name();
    }

    /** Writes every table of the census to its topic. */
    public void writeAll(CensusStreams census) {
        write(census.counts(), CensusTables.COUNTS);
        write(census.hosts(), CensusTables.HOSTS);
        write(census.deadLetters(), CensusTables.DEAD_LETTERS);
        write(census.consistency(), CensusTables.CONSISTENCY);
        write(census.keyTests(), CensusTables.KEY_TESTS);
        write(census.overlap(), CensusTables.OVERLAP);
    }

    /** Writes one table's rows to its topic. */
    public <T> void write(DataStream<T> rows, CensusTables.Table<T> table) {
        rows.sinkTo(sink(table, topic(table)))
                .name("kafka-" + table.name())
                .uid("kafka-" + table.name());
    }

    /** The exactly-once upsert sink of a table into a topic. */
    public <T> KafkaSink<T> sink(CensusTables.Table<T> table, String topic) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(KafkaOptions.bootstrap(conf))
                .setKafkaProducerConfig(ReplyTopic.producerProperties(conf))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(
                        conf.get(KafkaOptions.TRANSACTIONAL_ID_PREFIX) + "-" + topic)
                .setRecordSerializer(new Serializer<>(table, topic))
                .build();
    }

    /** A table row as a keyed JSON message, or a tombstone. */
    static final class Serializer<T> implements KafkaRecordSerializationSchema<T> {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final CensusTables.Table<T> table;
        private final String topic;
        private final List<String> names;
        private final int[] keyColumns;

        Serializer(CensusTables.Table<T> table, String topic) {
            this.table = table;
            this.topic = topic;
            this.names = table.columnNames();
            this.keyColumns = table.key().stream().mapToInt(names::indexOf).toArray();
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                T row, KafkaSinkContext context, Long timestamp) {
            Object[] values = table.values().apply(row);
            ObjectNode key = JSON.createObjectNode();
            for (int c : keyColumns) {
                put(key, names.get(c), values[c]);
            }
            byte[] value = null;
            if (!(table.deletes() && table.gone().apply(row))) {
                ObjectNode all = JSON.createObjectNode();
                for (int i = 0; i < names.size(); i++) {
                    put(all, names.get(i), values[i]);
                }
                value = all.toString().getBytes(StandardCharsets.UTF_8);
            }
            return new ProducerRecord<>(
                    topic, key.toString().getBytes(StandardCharsets.UTF_8), value);
        }

        private static void put(ObjectNode n, String name, Object v) {
            if (v == null) {
                n.putNull(name);
            } else if (v instanceof Short x) {
                n.put(name, x);
            } else if (v instanceof Integer x) {
                n.put(name, x);
            } else if (v instanceof Long x) {
                n.put(name, x);
            } else if (v instanceof Double x) {
                n.put(name, x);
            } else if (v instanceof Boolean x) {
                n.put(name, x);
            } else if (v instanceof byte[] x) {
                n.put(name, Base64.getEncoder().encodeToString(x));
            } else if (v instanceof LocalDateTime x) {
                n.put(name, TIMESTAMP.format(x));
            } else {
                n.put(name, v.toString());
            }
        }
    }
}
