package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.mpcensus.job.census.ReplayJob;
import org.mpcensus.job.schema.CensusTables;
import org.mpcensus.job.testing.CollectingOutput;
import org.mpcensus.job.testing.Replays;
import org.mpcensus.udf.aggregate.CountRow;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.host.HostRow;

/**
 * The census pipeline runs against any {@link org.mpcensus.job.output.CensusOutput}: the sample
 * archive replayed into a collecting output, without a database, accounts for every input row: each
 * is a reply or a dead letter, and a MALFORMED reply is both.
 */
class CensusWithoutDatabaseITCase {

    @Test
    void everyRowOfTheSampleIsAReplyOrADeadLetterAndEveryMptcpHostHasARow() throws Exception {
        Configuration conf = Replays.conf("duckdb:unused");
        CollectingOutput out = new CollectingOutput();
        new ReplayJob(
                        ReplayJob.sourceFor(List.of(Replays.sample().toString()), conf),
                        List.of(out),
                        conf)
                .run();

        long dataRows =
                Files.readAllLines(Replays.sample()).stream()
                                .filter(l -> !l.startsWith("#") && !l.isBlank())
                                .count()
                        - 1;
        List<CountRow> counts = out.table(CensusTables.COUNTS);
        long replies = counts.stream().mapToLong(CountRow::replies).sum();
        long deadLetters = out.table(CensusTables.DEAD_LETTERS).size();
        assertThat(replies).isPositive();
        assertThat(deadLetters).isPositive();
        // A MALFORMED reply counts as a reply and is kept as a dead letter too.
        long malformed =
                counts.stream()
                        .filter(c -> c.key().classification() == Classification.MALFORMED)
                        .mapToLong(CountRow::replies)
                        .sum();
        assertThat(malformed).isPositive();
        assertThat(replies + deadLetters - malformed).isEqualTo(dataRows);

        List<HostRow> hosts = out.table(CensusTables.HOSTS);
        long mptcpPathHosts =
                counts.stream()
                        .filter(c -> c.key().classification() != Classification.NOT_MPTCP)
                        .mapToLong(CountRow::hosts)
                        .sum();
        assertThat(hosts).hasSize((int) mptcpPathHosts);
        assertThat(hosts).noneMatch(h -> h.classification() == Classification.NOT_MPTCP);
        assertThat(out.table(CensusTables.CONSISTENCY)).isNotEmpty();
        assertThat(out.table(CensusTables.OVERLAP)).isNotEmpty();
    }
}
