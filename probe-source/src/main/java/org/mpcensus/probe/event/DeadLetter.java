package org.mpcensus.probe.event;

import java.util.Arrays;

/**
 * Input that could not become (a trustworthy) {@link ProbeReply}: kept with the reason and the raw
 * bytes, counted, and written to the dead-letter table instead of being dropped. Every field is
 * bounded so that any input fits the table: a reason is never null and at most {@link #MAX_REASON}
 * characters, the raw input at most {@link #MAX_RAW} bytes (its start).
 *
 * @param source the file, topic or scan the input came from
 * @param location where in the source: {@code line N}, {@code frame N}, {@code offset N}
 * @param reason what was wrong and what was expected
 * @param raw the raw input (a text line in UTF-8, or a frame's bytes)
 * @param captureTimeMicros the capture time when known, else -1
 */
public record DeadLetter(
        String source, String location, String reason, byte[] raw, long captureTimeMicros) {

    /** The longest reason kept, in characters. */
    public static final int MAX_REASON = 1000;

    /** The longest source kept, in characters (its end: file names end paths). */
    public static final int MAX_SOURCE = 1000;

    /** The longest location kept, in characters. */
    public static final int MAX_LOCATION = 200;

    /** The most raw bytes kept (the start of the input). */
    public static final int MAX_RAW = 64 * 1024;

    public DeadLetter {
        source = source == null || source.isEmpty() ? "unknown" : tail(source, MAX_SOURCE);
        location =
                location == null || location.isEmpty() ? "unknown" : head(location, MAX_LOCATION);
        reason = reason == null || reason.isBlank() ? "unknown problem" : head(reason, MAX_REASON);
        raw = raw == null ? new byte[0] : raw.length > MAX_RAW ? Arrays.copyOf(raw, MAX_RAW) : raw;
    }

    /**
     * A reason for a failure: its message, or the kind of failure when it has none (an {@code
     * EOFException} of a cut gzip stream has no message).
     */
    public static String reasonOf(Throwable e) {
        String m = e.getMessage();
        String kind = e.getClass().getSimpleName();
        if (m == null || m.isBlank()) {
            return e instanceof java.io.EOFException
                    ? "unexpected end of file (" + kind + ")"
                    : kind;
        }
        return m + " (" + kind + ")";
    }

    private static String head(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    private static String tail(String s, int max) {
        return s.length() <= max ? s : "..." + s.substring(s.length() - max + 3);
    }
}
