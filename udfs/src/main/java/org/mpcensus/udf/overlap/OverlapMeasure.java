package org.mpcensus.udf.overlap;

/** What an overlap count compares. */
public enum OverlapMeasure {
    /** Per probed version: candidates on the first port only, the second only, or both. */
    PORTS,
    /** Per port: candidates for v0 only, v1 only, or both. */
    VERSIONS,
    /**
     * Per port, hosts that were candidates in the previous month and in this one: those that added
     * v1, dropped v0, switched from v0 only to v1 only, or kept the same versions.
     */
    MIGRATION
}
