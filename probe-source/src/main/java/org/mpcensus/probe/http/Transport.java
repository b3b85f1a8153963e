package org.mpcensus.probe.http;

/** The transport of an HTTP(S) GET. */
public enum Transport {
    /** A Multipath TCP socket (it may fall back to TCP). */
    MPTCP,
    /** A plain TCP socket. */
    TCP
}
