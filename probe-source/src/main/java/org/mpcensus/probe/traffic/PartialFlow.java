package org.mpcensus.probe.traffic;

import org.mpcensus.probe.event.TrafficPacket;

/**
 * Consecutive packets of one flow folded in the task that read them ({@link FlowFolder}), for the
 * keyed merge of a flow's parts ({@link FlowState#absorb}): most flows are one partial flow that
 * ends them; a flow open across a checkpoint, or seen again after a checkpoint, comes in several.
 *
 * @param key the flow it is part of
 * @param first the first packet folded, for a continuation (the merge decides with it whether the
 *     continuation continues the flow it holds), else null: a flow folded from its first packet
 *     keeps no packet while it is open
 * @param fold the packets folded, from the first, as a flow of their own
 * @param continuation whether an earlier part of the flow may have been sent before: then the fold
 *     was cut before every SYN or SYN-ACK after its first packet and before every gap of more than
 *     the idle time, so that the merge decides where the flow ends
 * @param next what follows
 */
public record PartialFlow(
        FlowKey key,
        TrafficPacket first,
        FlowState fold,
        boolean continuation,
        PartialFlow.Next next) {

    /** What follows a partial flow. */
    public enum Next {
        /** More packets of the flow may follow; the merge keeps it until it is idle. */
        MORE,
        /** The flow ended (idle, or its tuple reused by a new connection). */
        ENDED,
        /** The trace was read to its end with the flow still open. */
        TRACE_OVER
    }
}
