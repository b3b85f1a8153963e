package org.mpcensus.probe.traffic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.mpcensus.probe.packet.MpCapable;
import org.mpcensus.probe.packet.TcpOption;
import org.mpcensus.probe.packet.TcpOptionKind;
import org.mpcensus.probe.packet.TcpSegment;

/**
 * Reassembles the TCP segments of one trace, in capture order, into bidirectional flows. A flow is
 * keyed by its 5-tuple in either direction. It ends when it has been idle for {@code idleMicros},
 * when a new SYN reuses its tuple after a FIN or RST, or at the end of the trace; a FIN or RST
 * alone does not end it (the last ACKs after a FIN still belong to it).
 */
public final class FlowTable {
    private static final int SUBTYPE_JOIN = 1;

    private final String trace;
    private final long idleMicros;
    private final Consumer<FlowRecord> out;
    private final Map<String, Flow> flows = new HashMap<>();
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
        if (lastExpiry == Long.MIN_VALUE || micros - lastExpiry > idleMicros / 4) {
            expire(micros);
            lastExpiry = micros;
        }
        String forward = s.src() + ' ' + s.sport() + ' ' + s.dst() + ' ' + s.dport();
        String backward = s.dst() + ' ' + s.dport() + ' ' + s.src() + ' ' + s.sport();
        String key = forward.compareTo(backward) <= 0 ? forward : backward;
        Flow f = flows.get(key);
        if (f != null && micros - f.last > idleMicros) {
            flows.remove(key);
            emit(f, f.closing ? (f.rst ? "RST" : "FIN") : "IDLE");
            f = null;
        }
        if (f != null && s.isSyn() && f.closing) {
            flows.remove(key);
            emit(f, f.rst ? "RST" : "FIN");
            f = null;
        }
        if (f == null) {
            f = new Flow(s, micros);
            flows.put(key, f);
        }
        f.add(s, micros, wireBytes);
    }

    /** Ends the flows idle for longer than the idle time at {@code nowMicros}. */
    public void expire(long nowMicros) {
        Iterator<Flow> it = flows.values().iterator();
        List<Flow> ended = new ArrayList<>();
        while (it.hasNext()) {
            Flow f = it.next();
            if (nowMicros - f.last > idleMicros) {
                it.remove();
                ended.add(f);
            }
        }
        ended.sort((a, b) -> Long.compare(a.first, b.first));
        for (Flow f : ended) {
            emit(f, f.closing ? (f.rst ? "RST" : "FIN") : "IDLE");
        }
    }

    /** Ends every flow: the trace is over. */
    public void finish() {
        List<Flow> all = new ArrayList<>(flows.values());
        flows.clear();
        all.sort((a, b) -> Long.compare(a.first, b.first));
        for (Flow f : all) {
            emit(f, f.closing ? (f.rst ? "RST" : "FIN") : "END");
        }
    }

    private void emit(Flow f, String end) {
        out.accept(
                new FlowRecord(
                        trace,
                        f.ipVersion,
                        f.client,
                        f.clientPort,
                        f.server,
                        f.serverPort,
                        f.first,
                        f.last,
                        f.packetsUp,
                        f.bytesUp,
                        f.packetsDown,
                        f.bytesDown,
                        f.mptcpVersion,
                        f.serverKey == null ? -1 : MptcpToken.of(f.serverKey, f.mptcpVersion),
                        f.joinToken,
                        end));
    }

    /** A flow being reassembled. */
    private static final class Flow {
        final int ipVersion;
        final String client;
        final int clientPort;
        final String server;
        final int serverPort;
        final long first;
        long last;
        long packetsUp;
        long bytesUp;
        long packetsDown;
        long bytesDown;
        int mptcpVersion = -1;
        Long serverKey;
        long joinToken = -1;
        boolean closing;
        boolean rst;

        Flow(TcpSegment s, long micros) {
            ipVersion = s.ipVersion();
            // The SYN's sender is the client; a SYN-ACK's receiver; else the first packet's source.
            boolean fromServer = s.isSynAck();
            client = fromServer ? s.dst() : s.src();
            clientPort = fromServer ? s.dport() : s.sport();
            server = fromServer ? s.src() : s.dst();
            serverPort = fromServer ? s.sport() : s.dport();
            first = micros;
        }

        void add(TcpSegment s, long micros, int wireBytes) {
            last = Math.max(last, micros);
            boolean up = s.src().equals(client) && s.sport() == clientPort;
            if (up) {
                packetsUp++;
                bytesUp += wireBytes;
            } else {
                packetsDown++;
                bytesDown += wireBytes;
            }
            if (s.hasFlag(TcpSegment.FIN)) {
                closing = true;
            }
            if (s.isRst()) {
                closing = true;
                rst = true;
            }
            if (!s.hasFlag(TcpSegment.SYN)) {
                return;
            }
            MpCapable mp = s.mpCapable();
            if (mp != null) {
                if (s.isSyn()) {
                    mptcpVersion = mp.version();
                } else if (mptcpVersion < 0 || mptcpVersion == mp.version()) {
                    // The SYN-ACK's MP_CAPABLE confirms the version and carries the server's key.
                    mptcpVersion = mp.version();
                    serverKey = mp.senderKey();
                }
            } else if (!s.isSyn() && !up && mptcpVersion >= 0 && serverKey == null) {
                // A SYN-ACK without MP_CAPABLE: the server fell back to TCP.
                mptcpVersion = -1;
            }
            if (s.isSyn()) {
                for (TcpOption o : s.options()) {
                    if (o.kind() == TcpOptionKind.MPTCP
                            && o.mptcpSubtype() == SUBTYPE_JOIN
                            && o.length() >= 8) {
                        byte[] b = o.bytes();
                        joinToken =
                                ((b[4] & 0xffL) << 24)
                                        | ((b[5] & 0xffL) << 16)
                                        | ((b[6] & 0xffL) << 8)
                                        | (b[7] & 0xffL);
                    }
                }
            }
        }
    }
}
