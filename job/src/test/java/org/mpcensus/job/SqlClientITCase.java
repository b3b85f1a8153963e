package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.probe.testing.SharedData;

/** {@code mpcensus sql} runs Flink's SQL client with the functions declared, from the launcher. */
class SqlClientITCase {
    @TempDir Path dir;

    @Test
    void theSqlClientAnswersWithMpcensusFunctions() throws Exception {
        Path query =
                Files.writeString(
                        dir.resolve("q.sql"),
                        "SELECT hamming_weight('00000000000000ff') AS w, asn_of('3.128.0.1') AS"
                                + " a;\n");
        String out =
                sql(
                        "--asn-table",
                        SharedData.file("pyasn/ipasn.fake").toString(),
                        "-f",
                        query.toString());
        // ipasn.fake: 3.0.0.0/8 is AS 4, the nested 3.0.0.0/9 AS 5; 3.128.0.1 is outside the /9.
        assertThat(out).containsPattern("\\|\\s+\\+I\\s+\\|\\s+8\\s+\\|\\s+4\\s+\\|");
    }

    @Test
    void onceRunsTheQueriesInBatchModeAndPrintsEachFinalTable() throws Exception {
        Path query =
                Files.writeString(
                        dir.resolve("once.sql"),
                        "SELECT w, COUNT(*) AS n FROM (VALUES (hamming_weight('00000000000000ff')),"
                                + " (hamming_weight('0f')), (hamming_weight('00000000000000ff')))"
                                + " AS t(w) GROUP BY w;\n");
        String out = sql("--once", "-f", query.toString());
        // A batch result: final rows only, no changelog column, each group once.
        assertThat(out).doesNotContain("+I").doesNotContain("-U");
        assertThat(out).containsPattern("\\|\\s+8\\s+\\|\\s+2\\s+\\|");
        assertThat(out).containsPattern("\\|\\s+4\\s+\\|\\s+1\\s+\\|");
    }

    /** Runs {@code ./mpcensus sql ARGS} as a process; its output, once it exited 0. */
    static String sql(String... args) throws Exception {
        List<String> line =
                new ArrayList<>(List.of(Path.of("../mpcensus").toAbsolutePath().toString(), "sql"));
        line.addAll(List.of(args));
        Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
