package org.mpcensus.probe.event;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Capture times: microseconds since the epoch (UTC), written as ISO-8601 with six fractional
 * digits.
 */
public final class CaptureTime {
    private static final DateTimeFormatter ISO_MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private CaptureTime() {}

    public static long toMicros(Instant t) {
        return Math.addExact(
                Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    public static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(
                Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }

    /**
     * The calendar month (UTC) of a capture time as {@code yyyy-MM}, the key of every aggregate.
     */
    public static String month(long micros) {
        return YearMonth.from(toInstant(micros).atOffset(ZoneOffset.UTC)).toString();
    }

    /** E.g. {@code 2013-02-25T15:40:42.768187Z}. */
    public static String format(long micros) {
        return ISO_MICROS.format(toInstant(micros));
    }

    /**
     * Parses an ISO-8601 instant.
     *
     * @throws IllegalArgumentException naming the text
     */
    public static long parse(String text) {
        try {
            return toMicros(Instant.parse(text.trim()));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO-8601 instant: '" + text + "'");
        }
    }
}
