package org.mpcensus.job.sink;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Options of the census sinks. Credentials come from options or the environment, never from code.
 */
public final class SinkOptions {

    public static final ConfigOption<String> URL =
            ConfigOptions.key("mpcensus.sink.url")
                    .stringType()
                    .defaultValue("duckdb:mpcensus.duckdb")
                    .withDescription(
                            "Where the census tables live: duckdb:PATH (embedded DuckDB file) or a"
                                    + " jdbc:postgresql://host:port/db URL.");

    public static final ConfigOption<Boolean> REAPPLY =
            ConfigOptions.key("mpcensus.sink.reapply")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Whether a bounded replay reads again the files whose content the"
                                    + " census holds (census_inputs); by default they are skipped,"
                                    + " one line each on stderr, so that no reply is counted twice.");

    public static final ConfigOption<String> USER =
            ConfigOptions.key("mpcensus.sink.user")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Database user; default: the environment variable MPCENSUS_DB_USER, then"
                                    + " PGUSER.");

    public static final ConfigOption<String> PASSWORD =
            ConfigOptions.key("mpcensus.sink.password")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Database password; default: the environment variable"
                                    + " MPCENSUS_DB_PASSWORD, then PGPASSWORD.");

    public static final ConfigOption<Integer> BATCH_SIZE =
            ConfigOptions.key("mpcensus.sink.batch-size")
                    .intType()
                    .defaultValue(50_000)
                    .withDescription(
                            "Most rows per write batch (a batch is also written after the batch"
                                    + " interval, at every checkpoint and at the end of input).");

    public static final ConfigOption<Duration> BATCH_INTERVAL =
            ConfigOptions.key("mpcensus.sink.batch-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription("Longest time rows wait before their batch is written.");

    public static final ConfigOption<Integer> MAX_RETRIES =
            ConfigOptions.key("mpcensus.sink.max-retries")
                    .intType()
                    .defaultValue(3)
                    .withDescription("Retries of a failed JDBC batch.");

    private SinkOptions() {}
}
