package org.mpcensus.probe.event;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/**
 * Capture times: microseconds since the epoch (UTC), written as ISO-8601 with six fractional
 * digits. Every capture time the census accepts lies in {@link #FIRST}..{@link #LAST} (1970 to the
 * end of 2099): input outside that range is an error where it is decoded, never deep in an
 * operator.
 */
public final class CaptureTime {
    private static final DateTimeFormatter ISO_MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    /**
     * The timestamp forms archives hold: ISO-8601 with {@code T} or a space between date and time,
     * 0 to 9 fractional digits, and an offset {@code Z}, {@code +00:00}, {@code +0000}, {@code +00}
     * or none (UTC). ZMap writes {@code 2021-05-01T10:00:00.123+0000}.
     */
    private static final DateTimeFormatter TIMESTAMP =
            new DateTimeFormatterBuilder()
                    .parseCaseInsensitive()
                    .appendPattern("uuuu-MM-dd")
                    .optionalStart()
                    .appendLiteral('T')
                    .optionalEnd()
                    .optionalStart()
                    .appendLiteral(' ')
                    .optionalEnd()
                    .appendPattern("HH:mm:ss")
                    .optionalStart()
                    .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
                    .optionalEnd()
                    .optionalStart()
                    .appendLiteral(' ')
                    .optionalEnd()
                    .optionalStart()
                    .appendOffset("+HH:MM", "Z")
                    .optionalEnd()
                    .optionalStart()
                    .appendOffset("+HHMM", "Z")
                    .optionalEnd()
                    .optionalStart()
                    .appendOffset("+HH", "Z")
                    .optionalEnd()
                    .optionalStart()
                    .appendLiteral("UTC")
                    .optionalEnd()
                    .parseDefaulting(ChronoField.OFFSET_SECONDS, 0)
                    .toFormatter();

    /** 1970-01-01T00:00:00Z, the first capture time accepted. */
    public static final long FIRST = 0L;

    /** 2099-12-31T23:59:59.999999Z, the last capture time accepted. */
    public static final long LAST = 4_102_444_800_000_000L - 1;

    private CaptureTime() {}

    /**
     * An instant as microseconds.
     *
     * @throws IllegalArgumentException when it lies outside {@link #FIRST}..{@link #LAST}
     */
    public static long toMicros(Instant t) {
        if (t.isBefore(Instant.EPOCH) || t.getEpochSecond() > LAST / 1_000_000L) {
            throw outOfRange(t.toString());
        }
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    /**
     * Checks that microseconds since the epoch are a capture time the census accepts.
     *
     * @return {@code micros}
     * @throws IllegalArgumentException when they lie outside {@link #FIRST}..{@link #LAST}
     */
    public static long checked(long micros) {
        if (micros < FIRST || micros > LAST) {
            throw outOfRange(micros + " us since 1970");
        }
        return micros;
    }

    /**
     * Seconds and microseconds since the epoch (ZMap's {@code timestamp_ts}, {@code timestamp_us})
     * as one capture time.
     *
     * @throws IllegalArgumentException when the microseconds are not 0..999999 or the time lies
     *     outside the accepted range
     */
    public static long ofSeconds(long seconds, long micros) {
        if (micros < 0 || micros >= 1_000_000L) {
            throw new IllegalArgumentException(
                    "microseconds of a capture time are 0..999999, not " + micros);
        }
        if (seconds < 0 || seconds > LAST / 1_000_000L) {
            throw outOfRange(seconds + " s since 1970");
        }
        return seconds * 1_000_000L + micros;
    }

    private static IllegalArgumentException outOfRange(String what) {
        return new IllegalArgumentException(
                "capture time " + what + " is outside 1970..2099 (a broken clock or field?)");
    }

    public static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(
                Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }

    /**
     * Microseconds since the epoch as a UTC date and time (from the epoch second directly: {@code
     * LocalDateTime.ofInstant} asks the offset for its rules, a new object each time).
     */
    public static LocalDateTime utc(long micros) {
        return LocalDateTime.ofEpochSecond(
                Math.floorDiv(micros, 1_000_000L),
                (int) Math.floorMod(micros, 1_000_000L) * 1000,
                ZoneOffset.UTC);
    }

    /**
     * The calendar month (UTC) of a capture time as {@code yyyy-MM}, the key of every aggregate.
     */
    public static String month(long micros) {
        java.time.LocalDate day =
                java.time.LocalDate.ofEpochDay(Math.floorDiv(micros, MICROS_PER_DAY));
        int index = (day.getYear() - 1970) * 12 + day.getMonthValue() - 1;
        if (index >= 0 && index < MONTHS.length) {
            return MONTHS[index];
        }
        return YearMonth.from(toInstant(micros).atOffset(ZoneOffset.UTC)).toString();
    }

    private static final long MICROS_PER_DAY = 86_400_000_000L;

    /** The {@code yyyy-MM} text of every month from 1970 to 2099, made once. */
    private static final String[] MONTHS = new String[130 * 12];

    static {
        for (int i = 0; i < MONTHS.length; i++) {
            MONTHS[i] = YearMonth.of(1970 + i / 12, i % 12 + 1).toString();
        }
    }

    /** E.g. {@code 2013-02-25T15:40:42.768187Z}. */
    public static String format(long micros) {
        return ISO_MICROS.format(toInstant(micros));
    }

    /**
     * Parses a timestamp in one of the forms archives hold (ISO-8601 instants, ZMap's {@code
     * timestamp_str}, a space instead of {@code T}, no offset meaning UTC).
     *
     * @throws IllegalArgumentException naming the text, or when the time lies outside the accepted
     *     range
     */
    public static long parse(String text) {
        String t = text.trim();
        try {
            return toMicros(OffsetDateTime.parse(t, TIMESTAMP).toInstant());
        } catch (DateTimeException | ArithmeticException e) {
            throw new IllegalArgumentException(
                    "not a timestamp (e.g. 2021-05-01T10:00:00.123Z or 2021-05-01 10:00:00): '"
                            + (t.length() > 64 ? t.substring(0, 64) + "..." : t)
                            + "'");
        }
    }
}
