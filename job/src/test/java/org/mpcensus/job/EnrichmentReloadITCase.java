package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.job.census.ReplayJob;
import org.mpcensus.job.runtime.CensusOptions;
import org.mpcensus.job.runtime.JobEnvironment;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.DatabaseOutput;
import org.mpcensus.job.testing.Replays;
import org.mpcensus.probe.archive.ArchiveOptions;
import org.mpcensus.udf.enrich.EnrichmentOptions;

/**
 * A watched replay runs while its ASN table is replaced: replies that arrive after the swap get the
 * new table's answers, without a restart.
 */
class EnrichmentReloadITCase {
    static final String HEADER =
            "saddr,daddr,sport,dport,ipid,ttl,window,optionshex,optionstext,mptcpkey,success,"
                    + "timestamp_ts,timestamp_us,probed_version\n";

    @TempDir Path dir;

    /** Writes a file elsewhere and renames it in, as a table or archive should be replaced. */
    static void publish(Path target, String content) throws Exception {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        Files.move(
                tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static String row(String host) {
        return host + ",198.19.255.1,443,41645,1,59,65160,0x020405b4,MSS-,--,1,1790000000,0,1\n";
    }

    /** host -> asn of the replies emitted so far. */
    static Map<String, Long> emitted(Path file) throws Exception {
        Map<String, Long> asns = new HashMap<>();
        if (!Files.exists(file)) {
            return asns;
        }
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(file)) {
            if (line.endsWith("}")) {
                JsonNode n = json.readTree(line);
                asns.put(n.get("saddr").asText(), n.get("asn").asLong());
            }
        }
        return asns;
    }

    static long await(Path replies, String host) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Long asn = emitted(replies).get(host);
            if (asn != null) {
                return asn;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(host + " was not replayed within 60 s");
    }

    @Test
    void anAsnTableSwappedWhileTheJobRunsAnswersLaterReplies() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Path table = dir.resolve("pfx2as.txt");
        Path replies = dir.resolve("replies.jsonl");
        publish(table, "198.18.0.0\t15\t64500\n");
        Configuration conf = Replays.conf("duckdb:" + dir.resolve("census.duckdb"));
        conf.set(EnrichmentOptions.ASN_TABLE, table.toString());
        conf.set(EnrichmentOptions.RELOAD_INTERVAL, Duration.ofMillis(200));
        conf.set(CensusOptions.EMIT_REPLIES, replies.toString());
        conf.set(ArchiveOptions.WATCH, Duration.ofMillis(200));
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));

        CensusDatabase db = CensusDatabase.fromConfiguration(conf);
        db.createSchema();
        ReplayJob job =
                new ReplayJob(
                        ReplayJob.sourceFor(List.of(inbox.toString()), conf),
                        List.of(new DatabaseOutput(db, conf)),
                        conf);
        StreamExecutionEnvironment env = JobEnvironment.of(conf);
        job.build(env);
        JobClient client = env.executeAsync("reload");
        try {
            publish(inbox.resolve("first.csv"), HEADER + row("198.18.1.1"));
            assertThat(await(replies, "198.18.1.1")).isEqualTo(64500L);

            publish(table, "198.18.0.0\t15\t64500\n198.18.1.0\t24\t64501\n");
            // Keep replaying new files until one is answered by the new table.
            long asn = 0;
            int n = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (asn != 64501L && System.nanoTime() < deadline) {
                String host = "198.18.1." + (10 + n);
                publish(inbox.resolve("later-" + n + ".csv"), HEADER + row(host));
                asn = await(replies, host);
                n++;
            }
            assertThat(asn)
                    .as("a reply after the swap, answered by the new table")
                    .isEqualTo(64501L);
            // Outside the new prefix the old answer stands.
            publish(inbox.resolve("other.csv"), HEADER + row("198.18.2.1"));
            assertThat(await(replies, "198.18.2.1")).isEqualTo(64500L);
            assertThat(emitted(replies).get("198.18.1.1")).isEqualTo(64500L);
        } finally {
            Replays.cancelAndWait(client);
        }
    }
}
