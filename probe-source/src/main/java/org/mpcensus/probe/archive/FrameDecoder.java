package org.mpcensus.probe.archive;

import java.io.IOException;
import org.mpcensus.probe.event.CaptureTime;
import org.mpcensus.probe.event.CensusInput;
import org.mpcensus.probe.event.DeadLetter;

/**
 * An archive decoder of a capture's frames: reads them in order and turns each into a record or
 * nothing ({@link #decode}); a corrupt file structure ends the file with one dead letter naming the
 * byte offset.
 */
abstract class FrameDecoder implements ArchiveDecoder {
    private final CaptureReader reader;
    protected final String source;
    private boolean ended;

    FrameDecoder(CaptureReader reader, String source) {
        this.reader = reader;
        this.source = source;
    }

    /**
     * The dead letter of a frame whose capture time lies outside the times the census accepts
     * ({@link CaptureTime#FIRST}..{@link CaptureTime#LAST}), or null when its time is one.
     */
    DeadLetter outsideCaptureTimes(CapturedFrame frame) {
        long micros = frame.timestampNanos() / 1000;
        if (frame.timestampNanos() >= 0
                && micros >= CaptureTime.FIRST
                && micros <= CaptureTime.LAST) {
            return null;
        }
        return new DeadLetter(
                source,
                "frame " + frame.number(),
                "capture time "
                        + Long.toUnsignedString(frame.timestampNanos())
                        + " ns since 1970 is outside 1970..2099 (a wrong pcapng if_tsresol or a"
                        + " broken clock?)",
                frame.data(),
                -1);
    }

    /** The record of a frame, or null when the frame gives none. */
    abstract CensusInput decode(CapturedFrame frame);

    @Override
    public final CensusInput next() throws IOException {
        while (!ended) {
            CapturedFrame frame;
            long at = reader.position();
            try {
                frame = reader.next();
            } catch (CorruptCaptureException e) {
                ended = true;
                return CensusInput.of(
                        new DeadLetter(source, "offset " + at, e.getMessage(), new byte[0], -1));
            }
            if (frame == null) {
                ended = true;
                return null;
            }
            CensusInput record = decode(frame);
            if (record != null) {
                return record;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
