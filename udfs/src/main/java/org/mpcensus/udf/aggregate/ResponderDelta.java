package org.mpcensus.udf.aggregate;

/**
 * Responders of one {@link ResponderKey} that {@link ResponderCounter} has to add: addresses that
 * sent replies without {@code MP_CAPABLE} (the plain path, folded per source subtask by {@link
 * PlainFold}) and how many such replies they sent, or addresses that the host operator counts under
 * a classification of their own (the MPTCP path; then {@code replies} is 0).
 *
 * @param key the responders' key
 * @param addresses the addresses
 * @param replies plain replies folded into this delta
 * @param mptcpPath whether the addresses are hosts of the MPTCP path
 */
public record ResponderDelta(
        ResponderKey key, AddressSet addresses, long replies, boolean mptcpPath) {}
