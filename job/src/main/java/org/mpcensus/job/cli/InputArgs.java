package org.mpcensus.job.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/** The files a command reads ({@code replay}, {@code traffic}): {@code --input FILE...}. */
final class InputArgs {
    @Option(
            names = "--input",
            arity = "1..*",
            required = true,
            paramLabel = "FILE",
            description =
                    "Files to read (archives for replay, traces for traffic) or directories of"
                            + " them; .gz allowed.")
    List<String> files;

    /** What is wrong with one input (a blank name, a missing file), or null. */
    static String problem(String input) {
        if (input.isBlank()) {
            return "--input '" + input + "' names no file or directory";
        }
        if (!Files.exists(Path.of(input))) {
            return "no such file or directory: " + input;
        }
        return null;
    }

    /** The files, as {@code census_runs} records them. */
    String description() {
        return String.join(" ", files);
    }

    /** The bytes of every regular file given or under a directory given (for progress). */
    long bytes() {
        long total = 0;
        for (String input : files) {
            try (Stream<Path> all = Files.walk(Path.of(input))) {
                total +=
                        all.filter(Files::isRegularFile)
                                .mapToLong(
                                        f -> {
                                            try {
                                                return Files.size(f);
                                            } catch (IOException e) {
                                                return 0;
                                            }
                                        })
                                .sum();
            } catch (IOException | RuntimeException e) {
                // An input that cannot be walked becomes a dead letter; it adds nothing here.
            }
        }
        return total;
    }
}
