package org.mpcensus.probe.traffic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.mpcensus.probe.event.TrafficPacket;
import org.mpcensus.probe.packet.TcpSegment;

/**
 * Reassembles the TCP segments of one trace, in capture order, into bidirectional flows ({@link
 * FlowState}). A flow is keyed by its 5-tuple in either direction. It ends when it has been idle
 * for {@code idleMicros}, when a new SYN reuses its tuple after a FIN or RST, or at the end of the
 * trace; a FIN or RST alone does not end it (the last ACKs after a FIN still belong to it).
 */
public final class FlowTable {
    private final String trace;
    private final long idleMicros;
    private final Consumer<FlowRecord> out;
    private final Map<FlowKey, FlowState> flows = new HashMap<>();
    private long lastExpiry = Long.MIN_VALUE;

    /**
     * @param trace the trace's name, carried by every flow
     * @param idleMicros idle time after which a flow ends
     * @param out where ended flows go
     */
    public FlowTable(String trace, long idleMicros, Consumer<FlowRecord> out) {
        this.trace = trace;
        this.idleMicros = idleMicros;
        this.out = out;
    }

    /** Flows not yet ended. */
    public int open() {
        return flows.size();
    }

    /** Adds one segment captured at {@code micros} in a frame of {@code wireBytes} bytes. */
    public void add(long micros, int wireBytes, TcpSegment s) {
        add(TrafficPacket.of(trace, micros, wireBytes, s));
    }

    /** Adds one packet of the trace. */
    public void add(TrafficPacket p) {
        if (lastExpiry == Long.MIN_VALUE || p.micros() - lastExpiry > idleMicros / 4) {
            expire(p.micros());
            lastExpiry = p.micros();
        }
        FlowKey key = FlowKey.of(p);
        FlowState f = flows.get(key);
        if (f != null && f.endsBefore(p, idleMicros)) {
            flows.remove(key);
            out.accept(f.record(f.end(false)));
            f = null;
        }
        if (f == null) {
            f = FlowState.start(p);
            flows.put(key, f);
        }
        f.add(p);
    }

    /** Ends the flows idle for longer than the idle time at {@code nowMicros}. */
    public void expire(long nowMicros) {
        Iterator<FlowState> it = flows.values().iterator();
        List<FlowState> ended = new ArrayList<>();
        while (it.hasNext()) {
            FlowState f = it.next();
            if (nowMicros - f.last > idleMicros) {
                it.remove();
                ended.add(f);
            }
        }
        emitInOrder(ended, false);
    }

    /** Ends every flow: the trace is over. */
    public void finish() {
        List<FlowState> all = new ArrayList<>(flows.values());
        flows.clear();
        emitInOrder(all, true);
    }

    private void emitInOrder(List<FlowState> ended, boolean traceOver) {
        ended.sort((a, b) -> Long.compare(a.first, b.first));
        for (FlowState f : ended) {
            out.accept(f.record(f.end(traceOver)));
        }
    }
}
