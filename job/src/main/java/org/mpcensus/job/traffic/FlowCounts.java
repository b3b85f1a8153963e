package org.mpcensus.job.traffic;

/** TCP flows and bytes, and the MPTCP ones among them, of a row of the traffic tables. */
public interface FlowCounts {
    long tcpFlows();

    long tcpBytes();

    long mptcpFlows();

    long mptcpBytes();
}
