package org.mpcensus.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every flag of the table, on every command that has it: declared with its option's help, and given
 * on the command line it sets its own key, over the key's -D value; not given, it leaves the -D
 * value alone.
 */
class FlagTableTest {

    static Stream<Arguments> flags() {
        return Flags.BY_COMMAND.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(f -> Arguments.of(e.getKey(), f)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("flags")
    void aFlagSetsItsOwnKeyOverItsMinusD(String command, Flag flag) {
        String key = flag.option().key();
        OptionSpec declared = spec(command, List.of()).findOption(flag.name());
        assertThat(declared).as("declared on " + command).isNotNull();
        assertThat(String.join(" ", declared.description()))
                .contains("-D " + key)
                .contains(flag.help());

        String given =
                switch (flag.kind()) {
                    case SWITCH -> null;
                    case LIST -> "first,second";
                    case VALUE -> "given-value";
                };
        String expected =
                switch (flag.kind()) {
                    case SWITCH -> "true";
                    case LIST -> "first;second";
                    case VALUE -> "given-value";
                };
        List<String> args = new ArrayList<>(List.of(flag.name()));
        if (given != null) {
            args.add(given);
        }
        assertThat(applied(command, args, key)).as("given").isEqualTo(expected);
        assertThat(applied(command, List.of(), key)).as("not given: the -D value").isEqualTo("d");
    }

    /** The value of {@code key} after -D key=d and the flags of a command line. */
    private static String applied(String command, List<String> args, String key) {
        Configuration conf = Configuration.fromMap(Map.of(key, "d"));
        Flags.apply(spec(command, args), conf);
        return conf.toMap().get(key);
    }

    /** A command's spec after parsing its flags (nothing runs). */
    private static CommandSpec spec(String command, List<String> args) {
        CommandLine root = MpcensusCommand.commandLine();
        CommandLine cl = root.getSubcommands().get(command);
        // Required options of the command (--input) are not what this test is about.
        List<String> all = new ArrayList<>(args);
        for (OptionSpec o :
                cl.getCommandSpec().requiredArgs().stream()
                        .filter(OptionSpec.class::isInstance)
                        .map(OptionSpec.class::cast)
                        .toList()) {
            all.add(o.longestName());
            all.add("x");
        }
        all.add(0, command);
        root.parseArgs(all.toArray(String[]::new));
        return cl.getCommandSpec();
    }
}
