package org.mpcensus.udf.keys;

import org.mpcensus.udf.scope.Scope;

/**
 * A host's key entering (+1) or leaving (-1) a histogram bin.
 *
 * @param key the histogram
 * @param weight the key's Hamming weight
 * @param delta +1 or -1
 */
public record KeyWeightDelta(Scope key, int weight, int delta) {}
