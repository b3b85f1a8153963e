package org.mpcensus.udf.aggregate;

import org.mpcensus.udf.scope.Scope;

/**
 * The plain responders of one {@link Scope} that a census keeps between runs: the addresses that
 * sent replies without {@code MP_CAPABLE}, exactly, and how many such replies they sent. With the
 * hosts of the MPTCP path of the same key, they give the key's {@code NOT_MPTCP} count ({@link
 * ResponderCounter#plainHosts}).
 *
 * @param key the responders' key
 * @param addresses the addresses (not the operator's state); in a run that took in the census's
 *     memory, other runs' too: a union of every run's rows gives the same set
 * @param replies the plain replies of the run
 */
public record PlainResponders(Scope key, AddressSet addresses, long replies) {}
