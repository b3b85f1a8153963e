package org.mpcensus.udf.aggregate;

/**
 * A change to one census count: hosts that entered (+1) or left (-1) the key's classification, and
 * replies that were classified under it.
 *
 * @param key the count it changes
 * @param hosts the change in distinct hosts
 * @param replies the change in replies
 */
public record CountDelta(CountKey key, long hosts, long replies) {}
