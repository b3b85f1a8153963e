package org.mpcensus.probe.archive;

import java.io.Closeable;
import java.io.IOException;
import org.mpcensus.probe.event.CensusInput;
import org.mpcensus.probe.event.DeadLetter;

/**
 * Turns one archive file, read front to back, into records: replies, and dead letters for what
 * cannot be read. Deterministic, so that a restored reader can skip the records it had already
 * emitted. Runs on the source reader's fetcher thread.
 */
public interface ArchiveDecoder extends Closeable {

    /** The next record, or null at the end of the file. */
    CensusInput next() throws IOException;

    /** A decoder of a file that cannot be read at all: one dead letter saying why. */
    static ArchiveDecoder failed(DeadLetter letter, Closeable input) {
        return new ArchiveDecoder() {
            private boolean done;

            @Override
            public CensusInput next() {
                if (done) {
                    return null;
                }
                done = true;
                return CensusInput.of(letter);
            }

            @Override
            public void close() throws IOException {
                input.close();
            }
        };
    }
}
