package org.mpcensus.probe.traffic;

import org.mpcensus.probe.event.TrafficPacket;

/**
 * The flow a packet belongs to: its trace and 5-tuple, the same in both directions (the lower
 * endpoint first). Its hash is computed once from its fields alone, the same in every JVM, so it
 * can key state across processes. A POJO (public fields, a public no-argument constructor) for
 * Flink's serializer; not changed once made.
 */
public final class FlowKey {
    /** The trace (file). */
    public String trace;

    /** The lower endpoint's address (by text order, then port). */
    public String low;

    public int lowPort;

    /** The other endpoint's address. */
    public String high;

    public int highPort;

    private transient int hash;

    public FlowKey() {}

    public FlowKey(String trace, String low, int lowPort, String high, int highPort) {
        this.trace = trace;
        this.low = low;
        this.lowPort = lowPort;
        this.high = high;
        this.highPort = highPort;
    }

    /** The key of a packet's flow. */
    public static FlowKey of(TrafficPacket p) {
        int c = p.src().compareTo(p.dst());
        boolean forward = c < 0 || c == 0 && p.sport() <= p.dport();
        return forward
                ? new FlowKey(p.trace(), p.src(), p.sport(), p.dst(), p.dport())
                : new FlowKey(p.trace(), p.dst(), p.dport(), p.src(), p.sport());
    }

    public String trace() {
        return trace;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowKey k
                && k.lowPort == lowPort
                && k.highPort == highPort
                && k.low.equals(low)
                && k.high.equals(high)
                && k.trace.equals(trace);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = trace.hashCode();
            h = 31 * h + low.hashCode();
            h = 31 * h + lowPort;
            h = 31 * h + high.hashCode();
            h = 31 * h + highPort;
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        return trace + ' ' + low + ' ' + lowPort + ' ' + high + ' ' + highPort;
    }
}
