package org.mpcensus.udf.aggregate;

/**
 * A row of the counts table: how many distinct hosts have a classification under a key, and how
 * many replies were classified so.
 *
 * @param key the key
 * @param hosts distinct hosts whose latest reply has the key's classification
 * @param replies replies with the key's classification
 */
public record CountRow(CountKey key, long hosts, long replies) {}
