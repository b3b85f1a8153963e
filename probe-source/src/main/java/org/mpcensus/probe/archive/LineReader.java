package org.mpcensus.probe.archive;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the lines of a text archive (UTF-8, {@code \n} or {@code \r\n}) with a bound on their
 * length, so that one enormous line cannot exhaust the heap: a longer line is returned cut to the
 * bound, marked, and the rest of it skipped.
 */
final class LineReader implements Closeable {

    /** One line: its text (cut to the bound when {@code fullLength} exceeds it). */
    record Line(String text, long fullLength, boolean cut) {}

    /** Why a cut line is a dead letter. */
    String tooLong(Line line) {
        return "line of "
                + line.fullLength()
                + " bytes is longer than "
                + ArchiveOptions.MAX_LINE_BYTES.key()
                + " ("
                + maxBytes
                + "); its start is kept";
    }

    private final InputStream in;
    private final int maxBytes;
    private final byte[] buffer = new byte[1 << 16];
    private int pos;
    private int limit;
    private long base;
    private byte[] line = new byte[256];

    LineReader(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** Bytes of the stream read so far as lines: where the next line starts. */
    long position() {
        return base + pos;
    }

    /** The next line without its end, or null at the end of the stream. */
    Line next() throws IOException {
        int kept = 0;
        long length = 0;
        boolean any = false;
        while (true) {
            if (pos == limit) {
                base += limit;
                limit = in.read(buffer, 0, buffer.length);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    return any ? finish(kept, length) : null;
                }
            }
            any = true;
            int start = pos;
            while (pos < limit && buffer[pos] != '\n') {
                pos++;
            }
            int n = pos - start;
            length += n;
            int room = Math.min(n, maxBytes - kept);
            if (room > 0) {
                if (kept + room > line.length) {
                    line =
                            Arrays.copyOf(
                                    line,
                                    Math.min(maxBytes, Math.max(kept + room, line.length * 2)));
                }
                System.arraycopy(buffer, start, line, kept, room);
                kept += room;
            }
            if (pos < limit) {
                pos++; // the '\n'
                return finish(kept, length);
            }
        }
    }

    private Line finish(int kept, long length) {
        boolean cut = length > kept;
        if (!cut && kept > 0 && line[kept - 1] == '\r') {
            kept--;
            length--;
        }
        return new Line(new String(line, 0, kept, StandardCharsets.UTF_8), length, cut);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
