package org.mpcensus.job.path;

/**
 * The key of {@code census_path_counts}: month, IP version, port, probed version, AS and path
 * category (a String, so that it hashes the same in every JVM).
 */
public record PathCountKey(
        String month, int ipVersion, int port, int version, long asn, String category) {}
