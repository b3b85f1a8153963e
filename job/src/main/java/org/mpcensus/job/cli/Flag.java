package org.mpcensus.job.cli;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.TextElement;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A command-line flag that sets one {@link ConfigOption}: the flag is the option given another way,
 * over its {@code -D KEY=VALUE}. Its help is the option's own description and default; its value is
 * parsed and checked as the option's (a bad one is a one-line error naming the key).
 *
 * @param name the flag, e.g. {@code --rate}
 * @param option the option it sets
 * @param label what its value is, for the help (null: from the option)
 * @param kind how it takes its value
 */
record Flag(String name, ConfigOption<?> option, String label, Kind kind) {

    /** How a flag takes its value. */
    enum Kind {
        /** One value: {@code --rate 1000}. */
        VALUE,
        /** A list, comma-separated or the flag repeated: {@code --ports 80,443}. */
        LIST,
        /** No value: given means true. */
        SWITCH
    }

    static Flag of(String name, ConfigOption<?> option) {
        return new Flag(name, option, null, Kind.VALUE);
    }

    static Flag list(String name, ConfigOption<?> option) {
        return new Flag(name, option, null, Kind.LIST);
    }

    static Flag onOff(String name, ConfigOption<Boolean> option) {
        return new Flag(name, option, null, Kind.SWITCH);
    }

    /** The same flag, its value called {@code label} in the help. */
    Flag label(String label) {
        return new Flag(name, option, label, kind);
    }

    /** The flag as picocli declares it. */
    OptionSpec spec() {
        OptionSpec.Builder b = OptionSpec.builder(name).description(help());
        switch (kind) {
            case SWITCH -> b.type(Boolean.class).arity("0");
            case LIST -> b.type(List.class).auxiliaryTypes(String.class).splitRegex(",");
            case VALUE -> b.type(String.class).arity("1");
        }
        if (label != null) {
            b.paramLabel(label);
        }
        return b.build();
    }

    /** Sets the option when the command line gave the flag. */
    void apply(CommandSpec spec, Configuration conf) {
        Object value = spec.findOption(name).getValue();
        if (value == null) {
            return;
        }
        String text =
                switch (kind) {
                    case SWITCH -> Boolean.TRUE.equals(value) ? "true" : null;
                    // Flink's lists are separated by semicolons.
                    case LIST -> String.join(";", castList(value));
                    case VALUE -> (String) value;
                };
        if (text != null) {
            conf.setString(option.key(), text);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(Object value) {
        return (List<String>) value;
    }

    /** The option's description, its default and its key. */
    String help() {
        String text =
                option.description().getBlocks().stream()
                        .map(Flag::text)
                        .collect(Collectors.joining(" "))
                        .strip();
        String defaults =
                option.hasDefaultValue() && option.defaultValue() != null
                        ? " Default: " + format(option.defaultValue()) + "."
                        : "";
        return text + defaults + " (-D " + option.key() + ")";
    }

    private static String text(BlockElement b) {
        return b instanceof TextElement t ? t.getFormat() : "";
    }

    private static String format(Object value) {
        if (value instanceof Duration d) {
            return TimeUtils.formatWithHighestUnit(d);
        }
        if (value instanceof List<?> l) {
            return l.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return String.valueOf(value);
    }
}
