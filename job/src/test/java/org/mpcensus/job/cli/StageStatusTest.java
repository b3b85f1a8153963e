package org.mpcensus.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mpcensus.probe.event.StageProgress;

class StageStatusTest {

    @Test
    void aStageUnderWayIsToldAndEveryStageThatRanHasItsTotalAtTheEnd() {
        // Requests of an earlier command in the same JVM are not this command's.
        StageProgress.PATHS.begun();
        StageProgress.PATHS.done();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (StageStatus status = new StageStatus("verify", Duration.ZERO, out)) {
            status.print(false);
            assertThat(bytes.toString(StandardCharsets.UTF_8)).isEmpty();
            StageProgress.PATHS.begun();
            StageProgress.PATHS.begun();
            StageProgress.PATHS.done();
            status.print(false);
            assertThat(bytes.toString(StandardCharsets.UTF_8))
                    .isEqualTo("mpcensus verify: path verification: 1 of 2 hosts done\n");
            StageProgress.PATHS.done();
            bytes.reset();
            // Nothing under way: nothing until the end.
            status.print(false);
            assertThat(bytes.toString(StandardCharsets.UTF_8)).isEmpty();
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo("mpcensus verify: path verification: 2 of 2 hosts done\n");
    }
}
