package org.mpcensus.job.path;

/** One row of {@code census_path_counts}: hosts of a key's category, and their classification. */
public record PathCountRow(PathCountKey key, long hosts) {}
