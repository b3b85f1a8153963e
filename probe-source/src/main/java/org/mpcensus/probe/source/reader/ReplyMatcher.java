package org.mpcensus.probe.source.reader;

import java.util.Collection;
import java.util.function.IntFunction;
import org.mpcensus.probe.event.Probe;
import org.mpcensus.probe.event.ProbeReply;
import org.mpcensus.probe.event.Reply;
import org.mpcensus.probe.event.ReplyType;
import org.mpcensus.probe.packet.IpAddress;
import org.mpcensus.probe.packet.PacketDecoder;
import org.mpcensus.probe.packet.TcpSegment;

/**
 * Capture to reply: a captured segment becomes a {@link ProbeReply} when it is addressed to this
 * prober, carries the keyed MAC of one of the reader's scans (which also tells the probed version)
 * and is the first from its host, port and version in that scan; otherwise it is counted as invalid
 * or duplicate and dropped. Used by the capturing thread only.
 */
final class ReplyMatcher {
    private final String vantage;
    private final IntFunction<byte[]> probeOptions;
    private final byte[] us4;
    private final byte[] us6;
    private final ReaderCounters counters;

    /**
     * @param probeOptions the TCP options of the probe of a version
     * @param us4 the prober's IPv4 address, or null
     * @param us6 the prober's IPv6 address, or null
     */
    ReplyMatcher(
            String vantage,
            IntFunction<byte[]> probeOptions,
            byte[] us4,
            byte[] us6,
            ReaderCounters counters) {
        this.vantage = vantage;
        this.probeOptions = probeOptions;
        this.us4 = us4;
        this.us6 = us6;
        this.counters = counters;
    }

    /** The reply of a captured Ethernet frame, or null. */
    ProbeReply fromFrame(byte[] frame, long micros, Collection<ScanState> scans) {
        TcpSegment s = PacketDecoder.decodeFrame(PacketDecoder.LINKTYPE_ETHERNET, frame).segment();
        return s == null ? null : match(s, micros, scans);
    }

    /** The reply of a segment captured at {@code micros}, or null. */
    ProbeReply match(TcpSegment s, long micros, Collection<ScanState> scans) {
        byte[] us = s.ipVersion() == 4 ? us4 : us6;
        if (us == null || !IpAddress.format(us).equals(s.dst())) {
            // Not to this prober: the capture filter's port range let it through.
            return null;
        }
        byte[] target = IpAddress.parse(s.src());
        int version = -1;
        ScanState scan = null;
        for (ScanState k : scans) {
            version = k.capturing().validate(s, us, target);
            if (version >= 0) {
                scan = k;
                break;
            }
        }
        if (scan == null) {
            counters.invalid.incrementAndGet();
            return null;
        }
        if (!scan.answered().add(s.src() + '|' + s.sport() + '|' + version)) {
            counters.duplicates.incrementAndGet();
            return null;
        }
        counters.valid.incrementAndGet();
        return new ProbeReply(
                micros,
                vantage,
                scan.scanId(),
                new Probe(s.src(), s.sport(), version, probeOptions.apply(version)),
                new Reply(
                        s.isRst() ? ReplyType.RST : ReplyType.SYN_ACK,
                        s.ttl(),
                        s.ipVersion() == 4 ? s.ipId() : 0,
                        s.window(),
                        s.optionBytes(),
                        s.mpCapable(),
                        s.errorText()));
    }
}
