package org.mpcensus.probe.path;

/**
 * The categories of the published path verifications (tracebox with MP_CAPABLE), plus one for hosts
 * the option reaches unchanged but that answer without MPTCP. Stored by name ({@code
 * census_paths.category}).
 */
public enum PathCategory {
    /** I: every quote shows the option unchanged and the target answers with its own. */
    TRULY_CAPABLE,

    /** II: a hop on the path (or a device answering for the target) changes or strips it. */
    MIDDLEBOX_AFFECTED,

    /** III: no answer from the target, or destination unreachable (administratively prohibited). */
    UNREACHABLE,

    /**
     * The option reached the target unchanged, as far as the quotes show, and it answered without.
     */
    NOT_MPTCP
}
