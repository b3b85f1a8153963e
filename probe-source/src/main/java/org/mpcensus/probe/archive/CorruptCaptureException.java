package org.mpcensus.probe.archive;

import java.io.IOException;

/**
 * A capture file whose structure is broken at a known byte offset; reading cannot go on after it.
 */
public class CorruptCaptureException extends IOException {
    private final long offset;

    public CorruptCaptureException(long offset, String message) {
        super(message + " (at byte " + offset + ")");
        this.offset = offset;
    }

    /** Byte offset in the file where the problem was found. */
    public long offset() {
        return offset;
    }
}
