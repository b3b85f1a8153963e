package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.testing.PostgresServer;
import org.mpcensus.job.testing.Replays;
import org.mpcensus.job.testing.TableDump;

/** Replays into a real PostgreSQL server through flink-connector-jdbc. */
class ReplayPostgresITCase {
    static PostgresServer postgres;

    @TempDir Path dir;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void replayingTwiceLeavesIdenticalTablesEqualToDuckDbs() throws Exception {
        Configuration conf = Replays.conf(postgres.createDatabase("census_twice"));
        CensusDatabase db = Replays.run(conf, List.of(Replays.sample().toString()));
        assertThat(db.dialect()).isEqualTo(CensusDatabase.Dialect.POSTGRES);
        Map<String, List<String>> first = TableDump.of(db);
        assertThat(first.get("census_counts")).isNotEmpty();
        assertThat(first.get("dead_letters")).isNotEmpty();

        Replays.run(conf, List.of(Replays.sample().toString()));
        assertThat(TableDump.of(db)).isEqualTo(first);

        CensusDatabase duck =
                Replays.run(
                        Replays.conf("duckdb:" + dir.resolve("census.duckdb")),
                        List.of(Replays.sample().toString()));
        assertThat(TableDump.of(duck)).isEqualTo(first);
    }
}
