package org.mpcensus.job.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real single-node Kafka broker for tests, started with the repository's {@code
 * job/kafka/kafka-broker} script in a fresh directory on a free loopback port, and stopped (by the
 * process id the script recorded) and deleted by {@link #close()}. When {@code MPCENSUS_TEST_KAFKA}
 * names a running broker's bootstrap address, that broker is used instead.
 */
public final class KafkaBroker implements AutoCloseable {
    private final String bootstrap;
    private final Path dir;

    private KafkaBroker(String bootstrap, Path dir) {
        this.bootstrap = bootstrap;
        this.dir = dir;
    }

    public static KafkaBroker start() throws Exception {
        String given = System.getenv("MPCENSUS_TEST_KAFKA");
        if (given != null && !given.isBlank()) {
            return new KafkaBroker(given, null);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "mpcensus-kafka-");
        List<String> out = script("start", "--dir", dir.toString(), "--port", "" + port);
        return new KafkaBroker(out.get(out.size() - 1).strip(), dir);
    }

    private static List<String> script(String... args) throws IOException, InterruptedException {
        Path script = Path.of("kafka/kafka-broker").toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of(script.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> out =
                new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                        .lines()
                        .toList();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("kafka-broker " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    public String bootstrap() {
        return bootstrap;
    }

    /** Creates a topic (unique names keep tests apart on a shared broker). */
    public void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
    }

    /** Writes messages outside any transaction. */
    public void produce(String topic, List<byte[][]> keyValues) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (var producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[][] kv : keyValues) {
                producer.send(new ProducerRecord<>(topic, kv[0], kv[1]));
            }
        }
    }

    /**
     * Waits until no transaction on a topic is open: a producer's commit returns before the broker
     * has written its markers, and until then a read_committed consumer's end of the topic (the
     * last stable offset) stops short of the committed messages.
     */
    public void awaitCommitted(String topic) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!endOffsets(topic, "read_committed").equals(endOffsets(topic, "read_uncommitted"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("transactions on " + topic + " stay open");
            }
            Thread.sleep(100);
        }
    }

    private Map<TopicPartition, Long> endOffsets(String topic, String isolation) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("isolation.level", isolation);
        try (var consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return consumer.endOffsets(
                    consumer.partitionsFor(topic).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList());
        }
    }

    /** Every committed message of a topic, in partition order. */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("isolation.level", "read_committed");
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        try (var consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts =
                    consumer.partitionsFor(topic).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
        }
        return all;
    }

    /** The latest value per key of an upsert topic, tombstones removing keys. */
    public Map<String, String> materialize(String topic) {
        Map<String, String> state = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(topic)) {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            if (r.value() == null) {
                state.remove(key);
            } else {
                state.put(key, new String(r.value(), StandardCharsets.UTF_8));
            }
        }
        return state;
    }

    @Override
    public void close() throws Exception {
        if (dir == null) {
            return;
        }
        try {
            script("stop", "--dir", dir.toString());
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
