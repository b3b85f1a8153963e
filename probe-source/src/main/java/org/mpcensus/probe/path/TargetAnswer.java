package org.mpcensus.probe.path;

/** What the target of a path verification answered, or why it was not probed to a verdict. */
public enum TargetAnswer {
    /** A SYN-ACK without MP_CAPABLE. */
    SYN_ACK("SYN_ACK"),
    /** A SYN-ACK with MP_CAPABLE. */
    SYN_ACK_MP_CAPABLE("SYN_ACK+MP_CAPABLE"),
    /** A reset. */
    RST("RST"),
    /** A destination unreachable, administratively prohibited, on the way. */
    PROHIBITED("PROHIBITED"),
    /** Another destination unreachable on the way. */
    UNREACHABLE("UNREACHABLE"),
    /** Nothing. */
    NONE("NONE"),
    /** Not probed: the blocklist holds the target. */
    BLOCKED("BLOCKED"),
    /** Not probed: no source address of the target's family. */
    NO_SOURCE("NO_SOURCE"),
    /** The verification did not end in its time. */
    TIMEOUT("TIMEOUT");

    private final String label;

    TargetAnswer(String label) {
        this.label = label;
    }

    /** The answer as {@code census_paths} writes it. */
    public String label() {
        return label;
    }
}
