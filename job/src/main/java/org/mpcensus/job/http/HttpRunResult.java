package org.mpcensus.job.http;

import org.mpcensus.probe.http.HttpTiming;

/**
 * The two GETs of a paired run.
 *
 * @param run the run
 * @param mptcp the GET over MPTCP
 * @param tcp the GET over TCP
 * @param startedMicros when the run's first GET started (UTC, microseconds)
 */
public record HttpRunResult(HttpRun run, HttpTiming mptcp, HttpTiming tcp, long startedMicros) {

    /** MPTCP minus TCP of a time of both GETs, or null when either lacks it. */
    public static Double delta(Double mptcp, Double tcp) {
        return mptcp == null || tcp == null ? null : mptcp - tcp;
    }
}
