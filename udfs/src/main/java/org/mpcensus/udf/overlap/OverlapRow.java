package org.mpcensus.udf.overlap;

/**
 * A row of the overlap table.
 *
 * @param key the key
 * @param hosts hosts in the key's category
 */
public record OverlapRow(OverlapKey key, long hosts) {}
