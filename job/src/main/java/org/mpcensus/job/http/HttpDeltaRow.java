package org.mpcensus.job.http;

import org.mpcensus.udf.scope.HostOfInterest;

/**
 * One row of {@code census_http_deltas}: a target's runs so far and the medians, over its runs, of
 * MPTCP minus TCP (milliseconds; a run counts for a time when both of its GETs have it).
 *
 * @param target the host and port
 * @param runs paired runs made
 * @param answeredRuns runs in which both GETs were answered
 * @param mptcpRuns runs whose MPTCP GET was Multipath TCP throughout
 * @param connectDeltaMs median connect delta
 * @param tlsDeltaMs median TLS handshake delta
 * @param firstByteDeltaMs median time-to-first-byte delta
 * @param totalDeltaMs median total-time delta
 */
public record HttpDeltaRow(
        HostOfInterest target,
        int runs,
        int answeredRuns,
        int mptcpRuns,
        Double connectDeltaMs,
        Double tlsDeltaMs,
        Double firstByteDeltaMs,
        Double totalDeltaMs) {}
