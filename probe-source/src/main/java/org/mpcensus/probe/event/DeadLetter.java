package org.mpcensus.probe.event;

/**
 * Input that could not become (a trustworthy) {@link ProbeReply}: kept with the reason and the raw
 * bytes, counted, and written to the dead-letter table instead of being dropped.
 *
 * @param source the file, topic or scan the input came from
 * @param location where in the source: {@code line N}, {@code frame N}, {@code offset N}
 * @param reason what was wrong and what was expected
 * @param raw the raw input (a text line in UTF-8, or a frame's bytes)
 * @param captureTimeMicros the capture time when known, else -1
 */
public record DeadLetter(
        String source, String location, String reason, byte[] raw, long captureTimeMicros) {}
