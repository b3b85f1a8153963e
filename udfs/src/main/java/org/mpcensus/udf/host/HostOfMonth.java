package org.mpcensus.udf.host;

/**
 * A row about one host of a month: the month, the address, the probed port and MPTCP version (the
 * row's key, a {@link HostKey}), with the host's IP version and origin AS.
 */
public interface HostOfMonth {
    /** {@code yyyy-MM} (UTC). */
    String month();

    /** The address. */
    String host();

    /** The probed port. */
    int port();

    /** The probed MPTCP version. */
    int probedVersion();

    /** 4 or 6. */
    int ipVersion();

    /** The origin AS, 0 when unknown. */
    long asn();
}
