package org.mpcensus.probe.event;

/**
 * What an archive source emits for one row or frame: a reply, a dead letter, or (when a trace is
 * read for its traffic) a packet; exactly one of the three is non-null. A union so that one FLIP-27
 * source can report bad input without failing.
 *
 * @param reply the reply, or null
 * @param deadLetter the dead letter, or null
 * @param packet the TCP packet of a trace read for its traffic, or null
 */
public record CensusInput(ProbeReply reply, DeadLetter deadLetter, TrafficPacket packet) {

    public static CensusInput of(ProbeReply reply) {
        return new CensusInput(reply, null, null);
    }

    public static CensusInput of(DeadLetter deadLetter) {
        return new CensusInput(null, deadLetter, null);
    }

    public static CensusInput of(TrafficPacket packet) {
        return new CensusInput(null, null, packet);
    }
}
