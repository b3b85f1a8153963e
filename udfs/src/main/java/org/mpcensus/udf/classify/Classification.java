package org.mpcensus.udf.classify;

/**
 * What a reply says about its host's MPTCP support, after middlebox false positives are removed.
 */
public enum Classification {
    /** No MP_CAPABLE in the reply (or a RST). */
    NOT_MPTCP,
    /**
     * The probe's own MP_CAPABLE came back: v0 with the probe's key, v1 keyless or byte-identical.
     */
    MIRRORED,
    /** MP_CAPABLE of another version than the probe's. */
    WRONG_VERSION,
    /** The reply's options could not be decoded. */
    MALFORMED,
    /** The key's Hamming weight equals the probe key's: a rewriting middlebox is likely. */
    SUSPECT_KEY,
    /** A plausible MPTCP host. */
    CANDIDATE;

    /** True when the reply carried a well-formed MP_CAPABLE option. */
    public boolean hasMpCapable() {
        return this == MIRRORED
                || this == WRONG_VERSION
                || this == SUSPECT_KEY
                || this == CANDIDATE;
    }
}
