package org.mpcensus.probe.event;

/**
 * What a replay source emits for one row or frame: either a reply or a dead letter (exactly one of
 * the two is non-null). A union so that one FLIP-27 source can report bad input without failing.
 *
 * @param reply the reply, or null
 * @param deadLetter the dead letter, or null
 */
public record CensusInput(ProbeReply reply, DeadLetter deadLetter) {

    public static CensusInput of(ProbeReply reply) {
        return new CensusInput(reply, null);
    }

    public static CensusInput of(DeadLetter deadLetter) {
        return new CensusInput(null, deadLetter);
    }
}
