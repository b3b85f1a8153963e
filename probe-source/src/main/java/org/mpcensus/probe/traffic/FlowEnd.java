package org.mpcensus.probe.traffic;

/** How a flow of a trace ended. */
public enum FlowEnd {
    /** Closed with FIN. */
    FIN,
    /** Reset. */
    RST,
    /** Idle for longer than the idle timeout. */
    IDLE,
    /** Still open when the trace ended. */
    END
}
