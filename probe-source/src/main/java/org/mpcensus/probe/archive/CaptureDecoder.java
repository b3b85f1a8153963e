package org.mpcensus.probe.archive;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mpcensus.probe.event.CensusInput;
import org.mpcensus.probe.event.DeadLetter;
import org.mpcensus.probe.event.Probe;
import org.mpcensus.probe.event.ProbeReply;
import org.mpcensus.probe.event.Reply;
import org.mpcensus.probe.event.ReplyType;
import org.mpcensus.probe.packet.PacketDecoder;
import org.mpcensus.probe.packet.TcpSegment;

/**
 * Replays a pcap or pcapng capture: every SYN-ACK, and every RST that answers a SYN, becomes a
 * reply. When the capture also holds the probing SYN, the probe's options (and so its MPTCP version
 * and key) are taken from it, so mirror detection works on captures; otherwise the configured probe
 * is assumed. Frames that cannot be decoded become dead letters; other traffic (ARP, data segments)
 * is skipped and counted. A corrupt file structure ends the file with one dead letter naming the
 * byte offset.
 */
public final class CaptureDecoder extends FrameDecoder {

    private static final int MAX_REMEMBERED_SYNS = 1 << 20;

    private final ArchiveSettings settings;
    private final Map<String, TcpSegment> syns =
            new LinkedHashMap<>(1024, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, TcpSegment> eldest) {
                    return size() > MAX_REMEMBERED_SYNS;
                }
            };
    private long skipped;

    /** Opens the capture; a file that is not a capture at all yields one dead letter. */
    public static ArchiveDecoder open(InputStream in, String source, ArchiveSettings settings) {
        try {
            return new CaptureDecoder(new CaptureReader(in), source, settings);
        } catch (IOException e) {
            DeadLetter letter =
                    new DeadLetter(source, "offset 0", DeadLetter.reasonOf(e), new byte[0], -1);
            return ArchiveDecoder.failed(letter, in);
        }
    }

    private CaptureDecoder(CaptureReader reader, String source, ArchiveSettings settings) {
        super(reader, source);
        this.settings = settings;
    }

    /** Frames that were valid but neither a reply nor a probe. */
    public long skipped() {
        return skipped;
    }

    @Override
    CensusInput decode(CapturedFrame frame) {
        long micros = frame.timestampNanos() / 1000;
        PacketDecoder.Result result = PacketDecoder.decodeFrame(frame.linkType(), frame.data());
        if (result.notTcp()) {
            skipped++;
            return null;
        }
        TcpSegment segment = result.segment();
        boolean reply = segment != null && (segment.isSynAck() || segment.isRst());
        if (segment == null || (!reply && !segment.errors().isEmpty())) {
            return CensusInput.of(
                    new DeadLetter(
                            source,
                            "frame " + frame.number(),
                            result.errorText()
                                    + (frame.isTruncated()
                                            ? " (frame cut to "
                                                    + frame.data().length
                                                    + " of "
                                                    + frame.originalLength()
                                                    + " bytes)"
                                            : ""),
                            frame.data(),
                            micros));
        }
        if (segment.isSyn()) {
            syns.put(flow(segment.src(), segment.sport(), segment.dst(), segment.dport()), segment);
            skipped++;
            return null;
        }
        if (!reply) {
            skipped++;
            return null;
        }
        DeadLetter outside = outsideCaptureTimes(frame);
        if (outside != null) {
            return CensusInput.of(outside);
        }
        TcpSegment syn =
                syns.get(flow(segment.dst(), segment.dport(), segment.src(), segment.sport()));
        if (segment.isRst() && !answersProbe(segment, syn)) {
            skipped++;
            return null;
        }
        if (syn != null && syn.mpCapable() != null && syn.mpCapable().version() > 1) {
            return CensusInput.of(
                    new DeadLetter(
                            source,
                            "frame " + frame.number(),
                            "the SYN this answers carried MP_CAPABLE version "
                                    + syn.mpCapable().version()
                                    + " (the census knows 0 and 1)",
                            frame.data(),
                            micros));
        }
        Probe probe =
                syn != null
                        ? new Probe(
                                segment.src(),
                                segment.sport(),
                                syn.mpCapable() == null
                                        ? Probe.NO_MPTCP
                                        : syn.mpCapable().version(),
                                syn.optionBytes())
                        : new Probe(
                                segment.src(),
                                segment.sport(),
                                settings.probedVersion(),
                                settings.assumedProbeOptions());
        Reply r =
                new Reply(
                        segment.isRst() ? ReplyType.RST : ReplyType.SYN_ACK,
                        segment.ttl(),
                        segment.ipVersion() == 4 ? segment.ipId() : 0,
                        segment.window(),
                        segment.optionBytes(),
                        segment.mpCapable(),
                        segment.errorText());
        return CensusInput.of(
                new ProbeReply(micros, settings.vantage(), settings.scanIdFor(source), probe, r));
    }

    /** A RST answers a probe when it acknowledges the captured SYN, or when no SYN was captured. */
    private static boolean answersProbe(TcpSegment rst, TcpSegment syn) {
        if (syn == null) {
            return rst.hasFlag(TcpSegment.ACK) && rst.payloadLength() == 0;
        }
        return rst.ack() == ((syn.seq() + 1) & 0xffffffffL);
    }

    private static String flow(String src, int sport, String dst, int dport) {
        return src + '|' + sport + '|' + dst + '|' + dport;
    }
}
