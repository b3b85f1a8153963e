package org.mpcensus.job.runtime;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * The addresses a local run (a MiniCluster in this process, or the SQL client's) listens on:
 * loopback, unless the user set the option. Flink's own defaults bind its REST endpoint, blob
 * server and data exchange to every interface, where anyone who reaches the machine could submit a
 * job.
 */
public final class LoopbackEndpoints {
    private LoopbackEndpoints() {}

    /** The loopback address every local endpoint binds to. */
    public static final String LOOPBACK = "127.0.0.1";

    /** Flink's options that name an address a local run listens on or advertises. */
    static final List<ConfigOption<String>> OPTIONS =
            List.of(
                    RestOptions.BIND_ADDRESS,
                    RestOptions.ADDRESS,
                    JobManagerOptions.BIND_HOST,
                    JobManagerOptions.ADDRESS,
                    TaskManagerOptions.BIND_HOST,
                    TaskManagerOptions.HOST);

    /** Sets every option of {@link #OPTIONS} that {@code conf} does not set to loopback. */
    public static void apply(Configuration conf) {
        for (ConfigOption<String> o : OPTIONS) {
            if (!conf.contains(o)) {
                conf.set(o, LOOPBACK);
            }
        }
    }

    /** The same settings as lines of a Flink {@code config.yaml}. */
    public static List<String> yamlLines() {
        List<String> lines = new ArrayList<>();
        for (ConfigOption<String> o : OPTIONS) {
            lines.add(o.key() + ": " + LOOPBACK);
        }
        return lines;
    }
}
