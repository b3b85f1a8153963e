package org.mpcensus.udf.window;

import org.mpcensus.udf.host.HostRow;

/**
 * A host across months: address, port and probed MPTCP version.
 *
 * @param host the address
 * @param port the probed port
 * @param probedVersion the probed MPTCP version
 */
public record HostIdentity(String host, int port, int probedVersion) {
    public static HostIdentity of(HostRow r) {
        return new HostIdentity(r.host(), r.port(), r.probedVersion());
    }
}
