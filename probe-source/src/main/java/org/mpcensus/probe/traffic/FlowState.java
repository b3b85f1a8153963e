package org.mpcensus.probe.traffic;

import org.mpcensus.probe.event.TrafficPacket;
import org.mpcensus.probe.packet.TcpSegment;

/**
 * A flow being reassembled: mutable, one per 5-tuple, kept by {@link FlowTable} in memory and by
 * the traffic job in keyed state (a POJO: public fields, a public no-argument constructor).
 */
public final class FlowState {
    public String trace;
    public int ipVersion;
    public String client;
    public int clientPort;
    public String server;
    public int serverPort;
    public long first;
    public long last;
    public long packetsUp;
    public long bytesUp;
    public long packetsDown;
    public long bytesDown;
    public int mptcpVersion = -1;
    public boolean hasServerKey;
    public long serverKey;
    public long joinToken = -1;

    /** The initial sequence number of the client's SYN, -1 before one. */
    public long clientIsn = -1;

    /** The initial sequence number of the server's SYN-ACK, -1 before one. */
    public long serverIsn = -1;

    public boolean closing;
    public boolean rst;

    public FlowState() {}

    /**
     * The flow a packet opens. The SYN's sender is the client; a SYN-ACK's receiver; else the first
     * packet's source.
     */
    public static FlowState start(TrafficPacket p) {
        FlowState f = new FlowState();
        f.trace = p.trace();
        f.ipVersion = p.ipVersion();
        boolean fromServer = p.synAck();
        f.client = fromServer ? p.dst() : p.src();
        f.clientPort = fromServer ? p.dport() : p.sport();
        f.server = fromServer ? p.src() : p.dst();
        f.serverPort = fromServer ? p.sport() : p.dport();
        f.first = p.micros();
        f.last = p.micros();
        return f;
    }

    /**
     * Whether a packet of the flow's tuple must start a new flow instead of joining this one: it
     * comes after the idle time, or it is a SYN after a FIN or RST with a new initial sequence
     * number (a SYN sent again with the flow's own is the same connection, as TShark keeps it).
     */
    public boolean endsBefore(TrafficPacket p, long idleMicros) {
        return p.micros() - last > idleMicros || (p.syn() && closing && !synOfThisFlow(p));
    }

    /** Whether a SYN or SYN-ACK carries the initial sequence number its direction had. */
    private boolean synOfThisFlow(TrafficPacket p) {
        long isn = fromClient(p) ? clientIsn : serverIsn;
        return isn >= 0 && p.seq() == isn;
    }

    private boolean fromClient(TrafficPacket p) {
        return p.src().equals(client) && p.sport() == clientPort;
    }

    /** How the flow ended if it ends now for being idle or replaced. */
    public FlowEnd end(boolean traceOver) {
        if (closing) {
            return rst ? FlowEnd.RST : FlowEnd.FIN;
        }
        return traceOver ? FlowEnd.END : FlowEnd.IDLE;
    }

    public void add(TrafficPacket p) {
        last = Math.max(last, p.micros());
        boolean up = fromClient(p);
        if (p.syn() && closing) {
            // The connection's SYN sent again after a RST: it is opening again, not closed.
            closing = false;
            rst = false;
        }
        if (p.syn() || p.synAck()) {
            if (up && clientIsn < 0) {
                clientIsn = p.seq();
            } else if (!up && serverIsn < 0) {
                serverIsn = p.seq();
            }
        }
        if (up) {
            packetsUp++;
            bytesUp += p.wireBytes();
        } else {
            packetsDown++;
            bytesDown += p.wireBytes();
        }
        if (p.has(TcpSegment.FIN)) {
            closing = true;
        }
        if (p.has(TcpSegment.RST)) {
            closing = true;
            rst = true;
        }
        if (!p.has(TcpSegment.SYN)) {
            return;
        }
        if (p.mptcpVersion() >= 0) {
            if (p.syn()) {
                mptcpVersion = p.mptcpVersion();
            } else if (mptcpVersion < 0 || mptcpVersion == p.mptcpVersion()) {
                // The SYN-ACK's MP_CAPABLE confirms the version and carries the server's key.
                mptcpVersion = p.mptcpVersion();
                hasServerKey = p.hasKey();
                serverKey = p.mptcpKey();
            }
        } else if (p.synAck() && !up && mptcpVersion >= 0 && !hasServerKey) {
            // A SYN-ACK without MP_CAPABLE: the server fell back to TCP.
            mptcpVersion = -1;
        }
        if (p.syn() && p.joinToken() >= 0) {
            joinToken = p.joinToken();
        }
    }

    /**
     * The event time (milliseconds) from which the flow, last seen at {@link #last}, is idle: when
     * a watermark reaches it, no packet that could still join the flow is to come.
     */
    public long idleAt(long idleMicros) {
        return idleAt(last, idleMicros);
    }

    /** The event time (milliseconds) from which a flow last seen at {@code lastMicros} is idle. */
    public static long idleAt(long lastMicros, long idleMicros) {
        return (lastMicros + idleMicros) / 1000 + 1;
    }

    /**
     * Adds the packets of a partial flow that continues this one ({@link
     * PartialFlow#continuation}): its first packet, then the rest, which has no SYN or SYN-ACK (the
     * folding cut before each), so that the rest only adds packets, bytes, its last time and FIN or
     * RST. The result is what adding the packets one by one gives.
     *
     * @param first the partial's first packet
     * @param fold the partial's packets folded from its first
     */
    public void absorb(TrafficPacket first, FlowState fold) {
        // The fold's client is its first packet's source, unless that packet is a SYN-ACK.
        boolean firstUp = !first.synAck();
        long restUp = fold.packetsUp - (firstUp ? 1 : 0);
        long restBytesUp = fold.bytesUp - (firstUp ? first.wireBytes() : 0);
        long restDown = fold.packetsDown - (firstUp ? 0 : 1);
        long restBytesDown = fold.bytesDown - (firstUp ? 0 : first.wireBytes());
        add(first);
        if (fold.client.equals(client) && fold.clientPort == clientPort) {
            packetsUp += restUp;
            bytesUp += restBytesUp;
            packetsDown += restDown;
            bytesDown += restBytesDown;
        } else {
            packetsUp += restDown;
            bytesUp += restBytesDown;
            packetsDown += restUp;
            bytesDown += restBytesUp;
        }
        last = Math.max(last, fold.last);
        closing |= fold.closing;
        rst |= fold.rst;
    }

    /** The flow as a record. */
    public FlowRecord record(FlowEnd end) {
        return new FlowRecord(
                trace,
                ipVersion,
                client,
                clientPort,
                server,
                serverPort,
                first,
                last,
                packetsUp,
                bytesUp,
                packetsDown,
                bytesDown,
                mptcpVersion,
                hasServerKey ? MptcpToken.of(serverKey, mptcpVersion) : -1,
                joinToken,
                end);
    }
}
