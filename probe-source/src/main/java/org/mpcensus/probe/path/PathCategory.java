package org.mpcensus.probe.path;

/**
 * The categories of the published path verifications (tracebox with MP_CAPABLE), plus one for hosts
 * the option reaches unchanged but that answer without MPTCP.
 */
public final class PathCategory {
    /** I: every quote shows the option unchanged and the target answers with its own. */
    public static final String TRULY_CAPABLE = "TRULY_CAPABLE";

    /** II: a hop on the path (or a device answering for the target) changes or strips it. */
    public static final String MIDDLEBOX_AFFECTED = "MIDDLEBOX_AFFECTED";

    /** III: no answer from the target, or destination unreachable (administratively prohibited). */
    public static final String UNREACHABLE = "UNREACHABLE";

    /**
     * The option reached the target unchanged, as far as the quotes show, and it answered without.
     */
    public static final String NOT_MPTCP = "NOT_MPTCP";

    private PathCategory() {}
}
