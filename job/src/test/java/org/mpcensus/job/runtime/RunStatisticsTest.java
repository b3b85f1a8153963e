package org.mpcensus.job.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-file summary of dead letters groups rows by the kind of their problem. */
class RunStatisticsTest {

    @Test
    void aKindHidesRowValuesButKeepsWordsThatHoldDigits() {
        String a = "not a pcap or pcapng file: magic 0x6d6f6e74 (expected a1b2c3d4) (at byte 0)";
        String b = "not a pcap or pcapng file: magic 0x6d6f6e74 (expected a1b2c3d4) (at byte 24)";
        assertThat(RunStatistics.kindOf(a))
                .isEqualTo(RunStatistics.kindOf(b))
                .isEqualTo(
                        "not a pcap or pcapng file: magic 0x6d6f6e74 (expected a1b2c3d4) (at"
                                + " byte N)");
        assertThat(RunStatistics.kindOf("sport is not a number: 'x80' in line 12"))
                .isEqualTo("sport is not a number: '...' in line N");
    }

    @Test
    void aFileMostlyOfOneProblemIsNamedWithThatProblem() {
        List<String> lines =
                RunStatistics.dominant(
                        Map.of(
                                "scan.pcap\t",
                                1L,
                                "scan.pcap\t" + RunStatistics.kindOf("truncated at byte 70"),
                                9L),
                        true);
        assertThat(lines)
                .containsExactly("scan.pcap: 9 of 10 rows are dead letters: truncated at byte N");
    }
}
