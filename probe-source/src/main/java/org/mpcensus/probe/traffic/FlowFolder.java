package org.mpcensus.probe.traffic;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import org.mpcensus.probe.event.TrafficPacket;
import org.mpcensus.probe.packet.TcpSegment;

/**
 * Folds the packets one reader reads into {@link PartialFlow}s, so that keyed state sees flows, not
 * packets. A flow whose packets the folder saw from its first is ended here, exactly as {@link
 * FlowTable} ends it (idle, or a new SYN on its tuple after FIN or RST, or the trace's end), and
 * sent once. A flow whose earlier part was already sent ({@link #flush} at a checkpoint, or a
 * restored {@link #continued} key) is sent as continuations, and the keyed merge decides where it
 * ends.
 *
 * <p>Idle flows are found by event time, as the keyed merge's timers find them: {@link #advance}
 * with each watermark ends (or sends on) every fold whose {@link FlowState#idleAt} it reached.
 */
public final class FlowFolder {
    private final long idleMicros;
    private final Consumer<PartialFlow> out;

    /** The folds, least recently added to first (capture order keeps them in idle order). */
    private final LinkedHashMap<FlowKey, Fold> open = new LinkedHashMap<>(1 << 12, 0.75f, true);

    /** The continuations, by the event time at which the merge's timer could end what it holds. */
    private final PriorityQueue<Fold> continuations =
            new PriorityQueue<>(Comparator.comparingLong((Fold f) -> f.sendBy));

    private final Map<FlowKey, Long> continued = new HashMap<>();
    private long watermark = Long.MIN_VALUE;

    /** A flow being folded. */
    private static final class Fold {
        final FlowKey key;

        /** The first packet of a continuation, which the merge needs; null otherwise. */
        final TrafficPacket first;

        final FlowState flow;
        final boolean continuation;
        long sendBy;
        boolean gone;

        Fold(FlowKey key, TrafficPacket first, boolean continuation) {
            this.key = key;
            this.first = continuation ? first : null;
            this.flow = FlowState.start(first);
            this.continuation = continuation;
        }
    }

    /**
     * @param idleMicros idle time after which a flow ends
     * @param out where partial flows go
     */
    public FlowFolder(long idleMicros, Consumer<PartialFlow> out) {
        this.idleMicros = idleMicros;
        this.out = out;
    }

    /** Flows being folded. */
    public int open() {
        return open.size();
    }

    /** Folds one packet. */
    public void add(TrafficPacket p) {
        FlowKey key = FlowKey.of(p);
        Fold f = open.get(key);
        if (f != null && (f.continuation ? cutsBefore(f, p) : f.flow.endsBefore(p, idleMicros))) {
            send(f, f.continuation ? PartialFlow.Next.MORE : PartialFlow.Next.ENDED);
            f = null;
        }
        if (f == null) {
            Long held = heldLast(key, p);
            f = new Fold(key, p, held != null);
            open.put(key, f);
            if (held != null) {
                // A continuation goes on before the merge's timer for what it holds can fire.
                f.sendBy = FlowState.idleAt(held, idleMicros);
                continuations.add(f);
            }
        }
        f.flow.add(p);
    }

    /**
     * A continuation stops before a packet whose place in the flow depends on what came before it:
     * a SYN or SYN-ACK, or a packet after a gap of more than the idle time.
     */
    private boolean cutsBefore(Fold f, TrafficPacket p) {
        return p.has(TcpSegment.SYN) || p.micros() - f.flow.last > idleMicros;
    }

    /**
     * The last time of the part of a packet's flow the merge may hold (sent before and not ended),
     * or null when there is none.
     */
    private Long heldLast(FlowKey key, TrafficPacket p) {
        Long last = continued.get(key);
        if (last != null && p.micros() - last > idleMicros) {
            // That part ended: the packet opens a new flow, whatever the merge still holds.
            continued.remove(key);
            return null;
        }
        return last;
    }

    /**
     * Event time (milliseconds) reached: ends every fold idle by then, as the keyed merge's timer
     * would end it, and sends on every continuation whose held part the merge's timer would end by
     * then (so that the merge sees the continuation first). At the end of event time, {@link
     * #finish}.
     */
    public void advance(long watermarkMillis) {
        if (watermarkMillis == Long.MAX_VALUE) {
            finish();
            return;
        }
        watermark = Math.max(watermark, watermarkMillis);
        while (!continuations.isEmpty() && continuations.peek().sendBy <= watermark) {
            Fold f = continuations.poll();
            if (!f.gone) {
                send(f, PartialFlow.Next.MORE);
            }
        }
        // Folds from the least recently added to; with capture times out of order, one idle fold
        // may wait behind one that is not (it ends with the same record at a later watermark, or
        // when its next packet comes, or at the trace's end).
        List<Fold> idle = new ArrayList<>();
        for (Fold f : open.values()) {
            if (f.continuation) {
                continue;
            }
            if (f.flow.idleAt(idleMicros) > watermark) {
                break;
            }
            idle.add(f);
        }
        for (Fold f : idle) {
            send(f, PartialFlow.Next.ENDED);
        }
    }

    /**
     * Sends every fold on as {@link PartialFlow.Next#MORE} (before a checkpoint): the folder then
     * holds no packet, and the flows' later packets are continuations.
     */
    public void flush() {
        continued.values().removeIf(last -> FlowState.idleAt(last, idleMicros) <= watermark);
        for (Fold f : inOrder()) {
            send(f, PartialFlow.Next.MORE);
        }
        continuations.clear();
    }

    /** The trace is over: every flow folded from its first packet ends as {@code END}. */
    public void finish() {
        for (Fold f : inOrder()) {
            send(
                    f,
                    f.continuation
                            ? PartialFlow.Next.MORE
                            : f.flow.idleAt(idleMicros) <= watermark
                                    ? PartialFlow.Next.ENDED
                                    : PartialFlow.Next.TRACE_OVER);
        }
        continuations.clear();
        continued.clear();
    }

    /**
     * The flows of which a part was sent as {@link PartialFlow.Next#MORE}, with the last time seen:
     * a restored folder must know them ({@link #restore}).
     */
    public Map<FlowKey, Long> continued() {
        return continued;
    }

    /** Restores a flow of which a part was sent before a checkpoint. */
    public void restore(FlowKey key, long lastMicros) {
        continued.merge(key, lastMicros, Math::max);
    }

    private List<Fold> inOrder() {
        List<Fold> all = new ArrayList<>(open.values());
        all.sort(Comparator.comparingLong(f -> f.flow.first));
        return all;
    }

    private void send(Fold f, PartialFlow.Next next) {
        open.remove(f.key);
        f.gone = true;
        if (next == PartialFlow.Next.MORE) {
            continued.merge(f.key, f.flow.last, Math::max);
        }
        out.accept(new PartialFlow(f.key, f.first, f.flow, f.continuation, next));
    }
}
