package org.mpcensus.udf.aggregate;

/**
 * The plain responders of one {@link ResponderKey} that a census keeps between runs: the addresses
 * that sent replies without {@code MP_CAPABLE}, exactly, and how many such replies they sent. With
 * the hosts of the MPTCP path of the same key, they give the key's {@code NOT_MPTCP} count ({@link
 * ResponderCounter#plainHosts}).
 *
 * @param key the responders' key
 * @param addresses the addresses (a copy, not the operator's state)
 * @param replies the plain replies
 */
public record PlainResponders(ResponderKey key, AddressSet addresses, long replies) {}
