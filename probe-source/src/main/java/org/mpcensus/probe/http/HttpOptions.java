package org.mpcensus.probe.http;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/** Options of HTTP(S) timing ({@code mpcensus http-timing}, and the stage of a probing job). */
public final class HttpOptions {
    public static final ConfigOption<Boolean> ENABLED =
            ConfigOptions.key("mpcensus.http.enabled")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Time HTTP(S) GETs over MPTCP and TCP to the hosts a probing job finds"
                                    + " (see mpcensus.http.categories).");

    public static final ConfigOption<List<String>> CATEGORIES =
            ConfigOptions.key("mpcensus.http.categories")
                    .stringType()
                    .asList()
                    .defaultValues("TRULY_CAPABLE", "MIDDLEBOX_AFFECTED", "CANDIDATE", "MIRRORED")
                    .withDescription(
                            "Hosts to time: path categories when paths are verified, reply"
                                    + " classifications otherwise. Each host is timed once per"
                                    + " month and port.");

    public static final ConfigOption<Integer> RUNS =
            ConfigOptions.key("mpcensus.http.runs")
                    .intType()
                    .defaultValue(10)
                    .withDescription(
                            "Paired runs (one GET over MPTCP, one over TCP, order alternated) per"
                                    + " host and port.");

    public static final ConfigOption<Duration> PERIOD =
            ConfigOptions.key("mpcensus.http.period")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription(
                            "Time between a host's runs (0: back to back). Runs still due when a"
                                    + " bounded job ends are not made.");

    public static final ConfigOption<Duration> TIMEOUT =
            ConfigOptions.key("mpcensus.http.timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription("The longest one GET may take, connect to last byte.");

    public static final ConfigOption<Integer> MAX_BYTES =
            ConfigOptions.key("mpcensus.http.max-bytes")
                    .intType()
                    .defaultValue(1 << 20)
                    .withDescription("Response bytes after which a GET stops reading.");

    public static final ConfigOption<Double> RATE =
            ConfigOptions.key("mpcensus.http.rate")
                    .doubleType()
                    .defaultValue(10.0)
                    .withDescription(
                            "Connections per second, for the whole job, shared by its timing"
                                    + " subtasks.");

    public static final ConfigOption<Integer> CONCURRENCY =
            ConfigOptions.key("mpcensus.http.concurrency")
                    .intType()
                    .defaultValue(16)
                    .withDescription("Paired runs one subtask makes at the same time.");

    public static final ConfigOption<List<Integer>> TLS_PORTS =
            ConfigOptions.key("mpcensus.http.tls-ports")
                    .intType()
                    .asList()
                    .defaultValues(443)
                    .withDescription("Ports spoken to with TLS (HTTPS).");

    public static final ConfigOption<String> PATH =
            ConfigOptions.key("mpcensus.http.path")
                    .stringType()
                    .defaultValue("/")
                    .withDescription("The path of every GET.");

    public static final ConfigOption<String> USER_AGENT =
            ConfigOptions.key("mpcensus.http.user-agent")
                    .stringType()
                    .defaultValue("mpcensus (Multipath TCP census; research measurement)")
                    .withDescription(
                            "The User-Agent of every GET; put a contact address or web page in it.");

    private HttpOptions() {}

    /** The GET settings of a configuration. */
    public static HttpTimer.Settings settings(Configuration conf) {
        long timeout = conf.get(TIMEOUT).toMillis();
        int maxBytes = conf.get(MAX_BYTES);
        if (timeout <= 0 || maxBytes <= 0 || conf.get(RUNS) <= 0 || conf.get(RATE) <= 0) {
            throw new IllegalArgumentException(
                    "mpcensus.http.timeout, max-bytes, runs and rate must be positive");
        }
        if (conf.get(CONCURRENCY) <= 0 || conf.get(PERIOD).isNegative()) {
            throw new IllegalArgumentException(
                    "mpcensus.http.concurrency must be positive and the period not negative");
        }
        String path = conf.get(PATH);
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException(
                    "mpcensus.http.path must start with / and be printable ASCII: " + path);
        }
        String agent = conf.get(USER_AGENT);
        if (agent.chars().anyMatch(c -> c < ' ' || c > '~')) {
            throw new IllegalArgumentException("mpcensus.http.user-agent must be printable ASCII");
        }
        return new HttpTimer.Settings(
                timeout, maxBytes, Set.copyOf(conf.get(TLS_PORTS)), path, agent);
    }
}
