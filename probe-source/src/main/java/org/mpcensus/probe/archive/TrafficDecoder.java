package org.mpcensus.probe.archive;

import java.io.IOException;
import java.io.InputStream;
import org.mpcensus.probe.event.CensusInput;
import org.mpcensus.probe.event.DeadLetter;
import org.mpcensus.probe.event.TrafficPacket;
import org.mpcensus.probe.packet.PacketDecoder;
import org.mpcensus.probe.packet.TcpSegment;

/**
 * Reads a pcap or pcapng trace for its traffic: every TCP segment becomes a {@link TrafficPacket}
 * (one with malformed options too: it was on the wire), a frame that cannot be decoded a dead
 * letter, anything else (ARP, UDP, ICMP) is skipped and counted. A corrupt file structure ends the
 * file with one dead letter naming the byte offset.
 */
public final class TrafficDecoder extends FrameDecoder {
    private final String trace;
    private long skipped;

    /** Opens the trace; a file that is not a capture at all yields one dead letter. */
    public static ArchiveDecoder open(InputStream in, String source) {
        try {
            return new TrafficDecoder(new CaptureReader(in), source);
        } catch (IOException e) {
            DeadLetter letter =
                    new DeadLetter(source, "offset 0", DeadLetter.reasonOf(e), new byte[0], -1);
            return ArchiveDecoder.failed(letter, in);
        }
    }

    private TrafficDecoder(CaptureReader reader, String source) {
        super(reader, source);
        int slash = source.lastIndexOf('/');
        this.trace = slash < 0 ? source : source.substring(slash + 1);
    }

    /** Frames that were valid but not TCP. */
    public long skipped() {
        return skipped;
    }

    @Override
    CensusInput decode(CapturedFrame frame) {
        long micros = frame.timestampNanos() / 1000;
        PacketDecoder.Result r =
                PacketDecoder.decodeFrame(frame.linkType(), frame.data(), PacketDecoder.Depth.FLOW);
        TcpSegment s = r.segment();
        if (s != null) {
            DeadLetter outside = outsideCaptureTimes(frame);
            return outside != null
                    ? CensusInput.of(outside)
                    : CensusInput.of(TrafficPacket.of(trace, micros, frame.originalLength(), s));
        }
        if (r.notTcp()) {
            skipped++;
            return null;
        }
        return CensusInput.of(
                new DeadLetter(
                        source, "frame " + frame.number(), r.errorText(), frame.data(), micros));
    }
}
