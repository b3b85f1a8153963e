package org.mpcensus.job.cli;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.TimeUtils;
import org.mpcensus.job.kafka.KafkaOptions;
import org.mpcensus.job.runtime.CensusOptions;
import org.mpcensus.job.sink.CensusDatabase;
import org.mpcensus.job.sink.SinkOptions;
import org.mpcensus.job.traffic.TrafficOptions;
import org.mpcensus.probe.archive.ArchiveOptions;
import org.mpcensus.probe.archive.ArchiveSettings;
import org.mpcensus.probe.http.HttpOptions;
import org.mpcensus.probe.path.PathCategory;
import org.mpcensus.probe.path.PathOptions;
import org.mpcensus.probe.source.plan.ProbeSourceOptions;
import org.mpcensus.probe.wire.NextHop;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.enrich.AsNames;
import org.mpcensus.udf.enrich.EnrichmentOptions;
import org.mpcensus.udf.enrich.MaxMindLookup;
import org.mpcensus.udf.enrich.Pfx2AsTable;

/**
 * What a command checks before a job starts and before any table is touched: every mpcensus option
 * is known and its value parses, the sink URL names a database, the enrichment files load. Each
 * problem is a {@link UserError}: one line saying what, where and what to do.
 */
final class Preflight {
    private Preflight() {}

    /**
     * Every option class of mpcensus; a {@code -D mpcensus.*} key must name one of their options.
     */
    private static final List<Class<?>> OPTION_CLASSES =
            List.of(
                    CensusOptions.class,
                    SinkOptions.class,
                    KafkaOptions.class,
                    ArchiveOptions.class,
                    ProbeSourceOptions.class,
                    PathOptions.class,
                    HttpOptions.class,
                    org.mpcensus.job.report.ReportOptions.class,
                    TrafficOptions.class,
                    EnrichmentOptions.class);

    /** Every mpcensus option by key. */
    static Map<String, ConfigOption<?>> options() {
        Map<String, ConfigOption<?>> out = new TreeMap<>();
        for (Class<?> c : OPTION_CLASSES) {
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers())
                        && ConfigOption.class.isAssignableFrom(f.getType())) {
                    try {
                        ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                        out.put(o.key(), o);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return out;
    }

    /** Checks the mpcensus options of a configuration: known keys, values that parse. */
    static void checkOptions(Configuration conf) {
        Map<String, ConfigOption<?>> known = options();
        for (String key : conf.keySet()) {
            if (key.startsWith("mpcensus.") && !known.containsKey(key)) {
                throw new UserError(
                        "unknown option -D "
                                + key
                                + closest(key, known.keySet())
                                + " (the options: job/docs/replay.md)");
            }
        }
        for (ConfigOption<?> o : known.values()) {
            try {
                conf.getOptional(o);
            } catch (IllegalArgumentException e) {
                throw new UserError(
                        "option "
                                + o.key()
                                + " = '"
                                + conf.toMap().get(o.key())
                                + "' is not a valid value: "
                                + firstLine(e.getMessage()));
            }
        }
        BOUNDS.forEach(b -> b.check(conf));
    }

    /** A range an option's value must lie in, beyond its type. */
    private record Bound<T>(ConfigOption<T> option, Predicate<T> holds, String expected) {
        void check(Configuration conf) {
            conf.getOptional(option)
                    .filter(v -> !holds.test(v))
                    .ifPresent(
                            v -> {
                                throw new UserError(
                                        "option "
                                                + option.key()
                                                + " = "
                                                + text(v)
                                                + " is out of range: "
                                                + expected);
                            });
        }
    }

    /** A value as the user writes it. */
    private static String text(Object v) {
        if (v instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        if (v instanceof Duration d) {
            return TimeUtils.formatWithHighestUnit(d);
        }
        return String.valueOf(v);
    }

    private static boolean isMac(String text) {
        try {
            NextHop.parseMac(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Every port of a list is a TCP port, 1..65535. */
    private static Predicate<List<Integer>> ports() {
        return list -> list.stream().allMatch(p -> p != null && p >= 1 && p <= 65535);
    }

    /** The ranges the options' values must lie in; checked with every command's options. */
    private static final List<Bound<?>> BOUNDS =
            List.of(
                    new Bound<>(ProbeSourceOptions.PORTS, ports(), "ports are 1..65535"),
                    new Bound<>(HttpOptions.TLS_PORTS, ports(), "ports are 1..65535"),
                    new Bound<>(CensusOptions.OVERLAP_PORTS, ports(), "ports are 1..65535"),
                    new Bound<>(
                            ProbeSourceOptions.GATEWAY_MAC,
                            Preflight::isMac,
                            "a MAC address is six bytes in hex, aa:bb:cc:dd:ee:ff"),
                    new Bound<>(TrafficOptions.MIN_PACKETS, n -> n >= 0, "at least 0 packets"),
                    new Bound<>(
                            TrafficOptions.EWMA_ALPHA,
                            a -> a > 0 && a <= 1,
                            "a weight above 0 and at most 1"),
                    new Bound<>(
                            TrafficOptions.IDLE_TIMEOUT,
                            d ->
                                    d.compareTo(Duration.ofMillis(1)) >= 0
                                            && d.compareTo(Duration.ofDays(366)) <= 0,
                            "from 1 ms to 366 d"),
                    new Bound<>(
                            PathOptions.CLASSES,
                            named(Classification.class),
                            "classifications: " + names(Classification.class)),
                    new Bound<>(
                            HttpOptions.CATEGORIES,
                            named(PathCategory.class, Classification.class),
                            "path categories ("
                                    + names(PathCategory.class)
                                    + ") or classifications ("
                                    + names(Classification.class)
                                    + ")"));

    /** Lists whose every element names a constant of one of the enums. */
    @SafeVarargs
    private static Predicate<List<String>> named(Class<? extends Enum<?>>... types) {
        java.util.Set<String> names =
                java.util.Arrays.stream(types)
                        .flatMap(t -> java.util.Arrays.stream(t.getEnumConstants()))
                        .map(Enum::name)
                        .collect(Collectors.toSet());
        return list -> list.stream().allMatch(names::contains);
    }

    /** The names of an enum's constants, for a message. */
    private static String names(Class<? extends Enum<?>> type) {
        return java.util.Arrays.stream(type.getEnumConstants())
                .map(Enum::name)
                .collect(Collectors.joining(", "));
    }

    private static String closest(String key, Iterable<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(key, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= 4 ? " (did you mean " + best + "?)" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The census database of the configuration, or a user error naming the bad URL. */
    static CensusDatabase database(Configuration conf) {
        try {
            return CensusDatabase.fromConfiguration(conf);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** The replay settings (scan time, probe key, probed version, port), checked. */
    static ArchiveSettings archiveSettings(Configuration conf) {
        try {
            return ArchiveSettings.fromConfiguration(conf);
        } catch (IllegalArgumentException e) {
            throw new UserError(firstLine(e.getMessage()));
        }
    }

    /** Loads the enrichment files the run names, so that a bad one is found before the job. */
    static void checkEnrichment(Configuration conf) {
        conf.getOptional(EnrichmentOptions.ASN_TABLE)
                .ifPresent(f -> load("--asn-table", f, () -> Pfx2AsTable.load(Path.of(f))));
        conf.getOptional(EnrichmentOptions.COUNTRY_DB)
                .ifPresent(
                        f -> load("--country-db", f, () -> MaxMindLookup.openCountry(Path.of(f))));
        conf.getOptional(EnrichmentOptions.AS_NAMES)
                .ifPresent(f -> load("--as-names", f, () -> AsNames.load(Path.of(f))));
    }

    /**
     * A file the command is to write: named, not a directory, in a directory that exists; a user
     * error naming the option otherwise.
     */
    static Path fileToWrite(String option, Path file) {
        if (file == null) {
            return null;
        }
        if (file.toString().isBlank()) {
            throw new UserError(option + " '" + file + "' names no file");
        }
        if (Files.isDirectory(file)) {
            throw new UserError(option + " " + file + " is a directory, not a file");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UserError(option + " " + file + ": no directory " + parent);
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new UserError(option + " " + file + " is not a regular file");
        }
        return file;
    }

    /** A file the command is to read: a regular file that exists; a user error otherwise. */
    static Path fileToRead(String option, Path file) {
        if (file == null) {
            return null;
        }
        if (!Files.exists(file)) {
            throw new UserError(option + " " + file + ": no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new UserError(option + " " + file + " is not a regular file");
        }
        return file;
    }

    private interface Loader {
        Object load() throws IOException;
    }

    private static void load(String option, String file, Loader loader) {
        if (!Files.isRegularFile(Path.of(file))) {
            throw new UserError(option + " " + file + ": no such file");
        }
        try {
            Object loaded = loader.load();
            if (loaded instanceof AutoCloseable c) {
                c.close();
            }
        } catch (Exception e) {
            throw new UserError(option + " " + file + " cannot be read: " + firstLine(describe(e)));
        }
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    static String firstLine(String m) {
        if (m == null) {
            return "";
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
