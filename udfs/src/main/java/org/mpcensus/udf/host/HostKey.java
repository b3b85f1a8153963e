package org.mpcensus.udf.host;

import org.mpcensus.udf.classify.ClassifiedReply;

/**
 * A host as the census counts it: one address, port and probed MPTCP version in one calendar month.
 *
 * @param month {@code yyyy-MM} (UTC)
 * @param host the address
 * @param port the probed port
 * @param probedVersion the probed MPTCP version
 */
public record HostKey(String month, String host, int port, int probedVersion) {
    public static HostKey of(ClassifiedReply r) {
        return new HostKey(r.month(), r.host(), r.port(), r.probedVersion());
    }
}
