package org.mpcensus.probe.archive;

import java.io.Closeable;
import java.io.IOException;
import org.mpcensus.probe.event.ArchiveRecord;

/**
 * Turns one archive file, read front to back, into records: replies, and dead letters for what
 * cannot be read. Deterministic, so that a restored reader can skip the records it had already
 * emitted. Runs on the source reader's fetcher thread.
 */
public interface ArchiveDecoder extends Closeable {

    /** The next record, or null at the end of the file. */
    ArchiveRecord next() throws IOException;
}
