package org.mpcensus.probe.event;

/**
 * What a replay source emits for one row or frame: either a reply or a dead letter (exactly one of
 * the two is non-null). A union so that one FLIP-27 source can report bad input without failing.
 *
 * @param reply the reply, or null
 * @param deadLetter the dead letter, or null
 */
public record ArchiveRecord(ProbeReply reply, DeadLetter deadLetter) {

    public static ArchiveRecord of(ProbeReply reply) {
        return new ArchiveRecord(reply, null);
    }

    public static ArchiveRecord of(DeadLetter deadLetter) {
        return new ArchiveRecord(null, deadLetter);
    }
}
