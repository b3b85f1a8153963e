package org.mpcensus.udf.overlap;

/**
 * A host entering (+1) or leaving (-1) an overlap count.
 *
 * @param key the count
 * @param hosts the change
 */
public record OverlapDelta(OverlapKey key, long hosts) {}
