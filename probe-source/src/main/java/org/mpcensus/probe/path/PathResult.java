package org.mpcensus.probe.path;

/**
 * The verdict of one host's path verification, one row of {@code census_paths}.
 *
 * @param host the target address
 * @param port the target port
 * @param version the MPTCP version of the probes
 * @param category the host's category
 * @param modifyingHop the first hop whose quote (or, for the target, whose answer) shows the change
 *     that makes the host middlebox-affected, 0 when none
 * @param hopAddress that hop's address, or null
 * @param modification what changed there ({@link QuoteDiff}'s words, joined by ", "), or null
 * @param otherModifications changes that do not concern MPTCP (MSS, window), with their hop, or
 *     null
 * @param hopsAnswered hops before the target that answered with an ICMP message
 * @param targetHop the TTL at which the target answered, 0 when it did not
 * @param answer the target's answer ({@code SYN_ACK}, {@code SYN_ACK+MP_CAPABLE}, {@code RST},
 *     {@code PROHIBITED}, {@code UNREACHABLE} or {@code NONE}
 * @param quoteLengths the quote length of each hop 1..last in order, {@code *} for silent hops,
 *     e.g. {@code 56,28,*,56}
 * @param startedMicros when the first probe went out, microseconds since the epoch
 * @param endedMicros when the verdict was reached
 */
public record PathResult(
        String host,
        int port,
        int version,
        PathCategory category,
        int modifyingHop,
        String hopAddress,
        String modification,
        String otherModifications,
        int hopsAnswered,
        int targetHop,
        TargetAnswer answer,
        String quoteLengths,
        long startedMicros,
        long endedMicros) {

    /** A host that was not probed through to a verdict: unreachable, with why as its answer. */
    public static PathResult unreachable(
            String host, int port, int version, TargetAnswer answer, long micros) {
        return new PathResult(
                host,
                port,
                version,
                PathCategory.UNREACHABLE,
                0,
                null,
                null,
                null,
                0,
                0,
                answer,
                "",
                micros,
                micros);
    }
}
