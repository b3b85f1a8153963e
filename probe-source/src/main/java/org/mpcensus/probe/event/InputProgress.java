package org.mpcensus.probe.event;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.LongAdder;

/**
 * How far the replays running in this JVM have read: bytes of the input files (compressed bytes for
 * gzip files) and records, dead letters among them. A command line that runs its replay on a local
 * MiniCluster reads it for its status line; on a cluster each process counts its own.
 */
public final class InputProgress {
    private static final LongAdder BYTES = new LongAdder();
    private static final LongAdder RECORDS = new LongAdder();
    private static final LongAdder DEAD_LETTERS = new LongAdder();

    private InputProgress() {}

    /** Bytes of input files read so far. */
    public static long bytes() {
        return BYTES.sum();
    }

    /** Records (replies and dead letters) decoded so far. */
    public static long records() {
        return RECORDS.sum();
    }

    /** Dead letters among them. */
    public static long deadLetters() {
        return DEAD_LETTERS.sum();
    }

    public static void recordsRead(int records, int deadLetters) {
        RECORDS.add(records);
        if (deadLetters > 0) {
            DEAD_LETTERS.add(deadLetters);
        }
    }

    /** A stream that counts the bytes read from it. */
    public static InputStream counting(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    BYTES.increment();
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n > 0) {
                    BYTES.add(n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long skipped = super.skip(n);
                BYTES.add(Math.max(0, skipped));
                return skipped;
            }
        };
    }
}
