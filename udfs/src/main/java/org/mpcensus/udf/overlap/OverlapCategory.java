package org.mpcensus.udf.overlap;

/** Where an overlap count puts a host, within its {@link OverlapMeasure}. */
public enum OverlapCategory {
    /** {@link OverlapMeasure#PORTS}: a candidate on both ports. */
    BOTH_PORTS("both"),
    /**
     * {@link OverlapMeasure#PORTS}: a candidate on one port only, the port of the key's scope;
     * written as {@code only_<port>}.
     */
    ONLY_PORT("only_"),
    /** {@link OverlapMeasure#VERSIONS}: a candidate for v0 only. */
    ONLY_V0("only_v0"),
    /** {@link OverlapMeasure#VERSIONS}: a candidate for v1 only. */
    ONLY_V1("only_v1"),
    /** {@link OverlapMeasure#VERSIONS}: a candidate for both versions. */
    BOTH_VERSIONS("both"),
    /** {@link OverlapMeasure#MIGRATION}: the same versions as the month before. */
    UNCHANGED("unchanged"),
    /** {@link OverlapMeasure#MIGRATION}: v1 now, not the month before. */
    ADDED_V1("added_v1"),
    /** {@link OverlapMeasure#MIGRATION}: v0 the month before, not now. */
    DROPPED_V0("dropped_v0"),
    /** {@link OverlapMeasure#MIGRATION}: v0 only the month before, v1 only now. */
    SWITCHED_V0_TO_V1("switched_v0_to_v1");

    private final String label;

    OverlapCategory(String label) {
        this.label = label;
    }

    /** The category as the census's tables write it; {@code port} is the key's scope's port. */
    public String label(int port) {
        return this == ONLY_PORT ? label + port : label;
    }
}
