package org.mpcensus.udf.keys;

/**
 * A host's key entering (+1) or leaving (-1) a histogram bin.
 *
 * @param key the histogram
 * @param weight the key's Hamming weight
 * @param delta +1 or -1
 */
public record KeyWeightDelta(KeyWeightKey key, int weight, int delta) {}
