package org.mpcensus.job.http;

import org.mpcensus.udf.scope.HostOfInterest;

/**
 * One paired run to a target: a GET over MPTCP and one over TCP, back to back.
 *
 * @param target the host and port
 * @param run the run's number, from 0
 * @param mptcpFirst whether the MPTCP GET goes first (alternated from run to run)
 */
public record HttpRun(HostOfInterest target, int run, boolean mptcpFirst) {}
