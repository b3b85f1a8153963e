package org.mpcensus.job.traffic;

/** The time buckets of {@code traffic_share}. */
public enum TrafficBucket {
    /** The UTC day of each flow's first packet. */
    DAY,
    /** The whole trace, one bucket. */
    CAPTURE
}
