package org.mpcensus.job.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.job.testing.ListeningSockets;

/**
 * A local run listens on loopback only: its MiniCluster (REST endpoint, blob server, data exchange)
 * and the SQL client's, unless the user configures another address.
 */
class LoopbackEndpointsITCase {
    @TempDir Path dir;

    /** Counted down by the job's map, which then waits until the job is cancelled. */
    private static volatile CountDownLatch running;

    @Test
    void aLocalRunListensOnLoopbackOnly() throws Exception {
        List<InetSocketAddress> listening = whileAJobRuns(new Configuration());
        // The MiniCluster's REST endpoint at least: an empty list would prove nothing.
        assertThat(listening).isNotEmpty();
        assertLoopbackOnly(listening);
    }

    @Test
    void anAddressTheUserSetsIsKept() throws Exception {
        // Another loopback address, so that the test itself opens nothing to the network.
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.2");
        List<InetSocketAddress> listening = whileAJobRuns(conf);
        assertThat(listening)
                .anySatisfy(
                        a -> assertThat(a.getAddress().getHostAddress()).isEqualTo("127.0.0.2"));
    }

    @Test
    void theSqlClientListensOnLoopbackOnly() throws Exception {
        // A streaming query of about 20 s: long enough to read the client's sockets while it runs.
        Path query =
                Files.writeString(
                        dir.resolve("slow.sql"),
                        "CREATE TEMPORARY TABLE slow (n BIGINT) WITH ('connector' = 'datagen',"
                                + " 'rows-per-second' = '1', 'number-of-rows' = '20');\n"
                                + "SELECT n FROM slow;\n");
        Process p =
                new ProcessBuilder(
                                Path.of("../mpcensus").toAbsolutePath().toString(),
                                "sql",
                                "-f",
                                query.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("out.txt").toFile())
                        .start();
        List<InetSocketAddress> listening = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // The client's MiniCluster starts a few seconds in; sample until its REST endpoint is
            // up.
            while (System.nanoTime() < deadline && p.isAlive()) {
                List<InetSocketAddress> now = new ArrayList<>();
                for (ProcessHandle h : p.descendants().toList()) {
                    try {
                        now.addAll(ListeningSockets.of(h.pid()));
                    } catch (java.io.IOException ended) {
                        // The process ended between listing and reading.
                    }
                }
                if (now.size() > listening.size()) {
                    listening = now;
                }
                Thread.sleep(300);
            }
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
        assertThat(listening).as(out).isNotEmpty();
        assertLoopbackOnly(listening);
    }

    private static void assertLoopbackOnly(List<InetSocketAddress> listening) {
        assertThat(listening)
                .allSatisfy(
                        a ->
                                assertThat(a.getAddress().isLoopbackAddress())
                                        .as(a.toString())
                                        .isTrue());
    }

    /** The sockets this process listens on while a local job of two subtasks runs. */
    private static List<InetSocketAddress> whileAJobRuns(Configuration conf) throws Exception {
        Configuration c = new Configuration(conf);
        c.set(org.apache.flink.configuration.CoreOptions.DEFAULT_PARALLELISM, 2);
        StreamExecutionEnvironment env = JobEnvironment.of(c);
        env.fromSequence(1, 2)
                .map(LoopbackEndpointsITCase::holdWhileRunning)
                .returns(Long.class)
                .sinkTo(new DiscardingSink<>());
        running = new CountDownLatch(1);
        JobClient job = env.executeAsync("loopback");
        try {
            assertThat(running.await(60, TimeUnit.SECONDS)).isTrue();
            return ListeningSockets.of(ProcessHandle.current().pid());
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    private static Long holdWhileRunning(Long n) throws InterruptedException {
        running.countDown();
        Thread.sleep(Duration.ofSeconds(30).toMillis());
        return n;
    }
}
