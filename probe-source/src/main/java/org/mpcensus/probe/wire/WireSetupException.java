package org.mpcensus.probe.wire;

import java.io.IOException;

/**
 * The wire cannot be set up as the scan is configured: no route to the targets, or a next hop whose
 * MAC the host does not know. A matter of the user's settings (name the interface, source address
 * or gateway MAC), not a fault of the prober; the command line reports it as the user's mistake.
 */
public final class WireSetupException extends IOException {
    private static final long serialVersionUID = 1L;

    public WireSetupException(String message) {
        super(message);
    }
}
