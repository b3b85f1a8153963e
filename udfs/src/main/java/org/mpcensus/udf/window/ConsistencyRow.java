package org.mpcensus.udf.window;

import org.mpcensus.udf.host.HostOfMonth;

/**
 * A host's standing in one month of the consistency window: whether it was a candidate, in how many
 * of the window's months (the W months ending with this one) it was, and what that makes it.
 *
 * @param month {@code yyyy-MM} (UTC)
 * @param host the address
 * @param port the probed port
 * @param probedVersion the probed MPTCP version
 * @param ipVersion 4 or 6
 * @param asn the origin AS
 * @param candidate whether the host was a candidate this month
 * @param candidateMonths months of the window in which it was a candidate
 * @param window the window length W
 * @param consistent a candidate in every month of the window
 * @param transientHost a candidate this month but in fewer than k months of the window
 */
public record ConsistencyRow(
        String month,
        String host,
        int port,
        int probedVersion,
        int ipVersion,
        long asn,
        boolean candidate,
        int candidateMonths,
        int window,
        boolean consistent,
        boolean transientHost)
        implements HostOfMonth {}
