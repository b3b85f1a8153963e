package org.mpcensus.udf.aggregate;

import org.mpcensus.udf.scope.Scope;

/**
 * Responders of one {@link Scope} that {@link ResponderCounter} has to add: addresses that sent
 * replies without {@code MP_CAPABLE} (the plain path, folded per source subtask by {@link
 * PlainFold}) and how many such replies they sent, addresses that the host operator counts under a
 * classification of their own (the MPTCP path; then {@code replies} is 0), or the plain responders
 * that other runs left in the census's memory.
 *
 * @param key the responders' key
 * @param addresses the addresses
 * @param replies plain replies folded into this delta
 * @param origin where the addresses come from
 */
public record ResponderDelta(Scope key, AddressSet addresses, long replies, Origin origin) {

    /** Where a delta's addresses come from. */
    public enum Origin {
        /** Replies of this run without {@code MP_CAPABLE}. */
        PLAIN,
        /** Hosts of the MPTCP path, counted under a classification of their own. */
        MPTCP_PATH,
        /**
         * Plain responders of other runs, from the census's memory: counted as plain responders,
         * but not kept again as this run's own.
         */
        REMEMBERED
    }

    /** Whether the addresses are hosts of the MPTCP path. */
    public boolean mptcpPath() {
        return origin == Origin.MPTCP_PATH;
    }
}
