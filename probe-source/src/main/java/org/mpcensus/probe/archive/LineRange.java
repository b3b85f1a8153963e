package org.mpcensus.probe.archive;

import java.io.IOException;
import java.io.InputStream;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * The lines of a text file that start in a byte range [start, end): a part of a CSV or JSON Lines
 * file that one reader decodes while others decode the other parts. A line belongs to the range its
 * first byte is in, so the range skips the end of a line that began before {@code start} and reads
 * past {@code end} to finish the last line it began. Every line of the file is read by exactly one
 * range.
 */
final class LineRange extends InputStream {
    private final InputStream in;
    private final long end;
    private long position;
    private boolean delivered;
    private int last = '\n';
    private boolean done;
    private final byte[] one = new byte[1];

    /**
     * @param in the file, positioned at its start (it is moved to the range)
     * @param start the first byte of the range
     * @param end the first byte after the range
     */
    static LineRange of(FSDataInputStream in, long start, long end) throws IOException {
        LineRange r = new LineRange(in, end);
        if (start == 0) {
            return r;
        }
        // The line that began before the range belongs to the range before: skip to the first
        // line start in [start, end), looking no further than the range (a line of gigabytes is
        // skipped by each range in its own bytes only).
        byte[] buffer = new byte[1 << 16];
        long pos = start - 1;
        in.seek(pos);
        while (pos < end) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, end - pos));
            if (n <= 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    r.position = pos + i + 1;
                    in.seek(r.position);
                    return r;
                }
            }
            pos += n;
        }
        r.position = pos;
        r.done = true; // no line starts in the range
        return r;
    }

    private LineRange(InputStream in, long end) {
        this.in = in;
        this.end = end;
    }

    @Override
    public int read() throws IOException {
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (done || len == 0) {
            return done ? -1 : 0;
        }
        if (position < end) {
            int n = in.read(b, off, (int) Math.min(len, end - position));
            if (n <= 0) {
                done = true;
                return -1;
            }
            position += n;
            delivered = true;
            last = b[off + n - 1];
            return n;
        }
        // Past the end: finish the line the range began, if it began one.
        if (!delivered || last == '\n') {
            done = true;
            return -1;
        }
        int n = in.read(b, off, len);
        if (n <= 0) {
            done = true;
            return -1;
        }
        for (int i = 0; i < n; i++) {
            if (b[off + i] == '\n') {
                done = true;
                position += i + 1;
                return i + 1;
            }
        }
        position += n;
        last = b[off + n - 1];
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
