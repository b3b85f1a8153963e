package org.mpcensus.job.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.mpcensus.job.output.CensusOutput;
import org.mpcensus.job.schema.CensusTable;
import org.mpcensus.job.schema.Column;

/**
 * The census tables as upsert (changelog) topics, one per table, named {@code <prefix><table>}: the
 * message key is a JSON object of the table's key columns, the value a JSON object of all its
 * columns, or a tombstone (null value) when the row is deleted. Readable by Flink SQL's {@code
 * upsert-kafka} connector with {@code json} key and value formats. Written exactly once, with Kafka
 * transactions committed on checkpoints.
 */
public final class TableTopics implements CensusOutput {
    private final Configuration conf;

    private final String prefix;

    public TableTopics(Configuration conf) {
        this.conf = conf;
        this.prefix = conf.get(KafkaOptions.TABLE_TOPIC_PREFIX);
    }

    /** The table topics when the configuration asks for them: none or one. */
    public static List<TableTopics> fromConfiguration(Configuration conf) {
        return conf.getOptional(KafkaOptions.TABLE_TOPIC_PREFIX).isPresent()
                ? List.of(new TableTopics(conf))
                : List.of();
    }

    /** The topic of a table. */
    public String topic(CensusTable<?> table) {
        return prefix + table.name();
    }

    @Override
    public <T> void write(CensusTable<T> table, DataStream<T> rows) {
        rows.sinkTo(sink(table, topic(table)))
                .name("kafka-" + table.name())
                .uid("kafka-" + table.name());
    }

    /** The exactly-once upsert sink of a table into a topic. */
    public <T> KafkaSink<T> sink(CensusTable<T> table, String topic) {
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
        private final CensusTable<T> table;
        private final String topic;
        private final List<Column<T>> columns;
        private final int[] keyColumns;

        Serializer(CensusTable<T> table, String topic) {
            this.table = table;
            this.topic = topic;
            this.columns = table.columns();
            List<String> names = table.columnNames();
            this.keyColumns = table.key().stream().mapToInt(names::indexOf).toArray();
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                T row, KafkaSinkContext context, Long timestamp) {
            Object[] values = table.valuesOf(row);
            ObjectNode key = JSON.createObjectNode();
            for (int c : keyColumns) {
                columns.get(c).type().putJson(key, columns.get(c).name(), values[c]);
            }
            byte[] value = null;
            if (!(table.gone(row))) {
                ObjectNode all = JSON.createObjectNode();
                for (int i = 0; i < columns.size(); i++) {
                    columns.get(i).type().putJson(all, columns.get(i).name(), values[i]);
                }
                value = all.toString().getBytes(StandardCharsets.UTF_8);
            }
            return new ProducerRecord<>(
                    topic, key.toString().getBytes(StandardCharsets.UTF_8), value);
        }
    }
}
