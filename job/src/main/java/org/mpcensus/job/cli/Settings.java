package org.mpcensus.job.cli;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/** Copies command-line values into a Flink configuration; an option not given keeps its default. */
final class Settings {
    private Settings() {}

    static <T> void setIfGiven(Configuration conf, ConfigOption<T> option, T value) {
        if (value != null) {
            conf.set(option, value);
        }
    }

    /** For duration options given as text (e.g. {@code 24 h}), parsed by Flink. */
    static void setTextIfGiven(Configuration conf, ConfigOption<?> option, String value) {
        if (value != null) {
            conf.setString(option.key(), value);
        }
    }
}
