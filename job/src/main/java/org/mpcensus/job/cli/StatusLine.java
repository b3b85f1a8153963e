package org.mpcensus.job.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The progress of a long command on stderr, one line every few seconds as ZMap prints it: time
 * elapsed, rows read and their rate, rows that could not be read, and, when the input's size is
 * known, the share read and the time left. Ends with {@link #close()}; the command prints its final
 * line itself.
 */
final class StatusLine implements AutoCloseable {
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param command the command's name, leading each line
     * @param totalBytes the input's bytes, or -1 when unknown (a topic)
     * @param interval time between lines
     * @param rows rows read so far
     * @param bytes bytes read so far (ignored when {@code totalBytes} is -1)
     * @param deadLetters rows that could not be read so far (dead letters of the input)
     */
    StatusLine(
            String command,
            long totalBytes,
            Duration interval,
            LongSupplier rows,
            LongSupplier bytes,
            LongSupplier deadLetters,
            PrintStream err) {
        long rows0 = rows.getAsLong();
        long bytes0 = bytes.getAsLong();
        long letters0 = deadLetters.getAsLong();
        long start = System.nanoTime();
        thread =
                new Thread(
                        () -> {
                            while (!closed) {
                                try {
                                    Thread.sleep(interval.toMillis());
                                } catch (InterruptedException e) {
                                    return;
                                }
                                if (closed) {
                                    return;
                                }
                                err.println(
                                        line(
                                                command,
                                                (System.nanoTime() - start) / 1e9,
                                                rows.getAsLong() - rows0,
                                                deadLetters.getAsLong() - letters0,
                                                totalBytes,
                                                bytes.getAsLong() - bytes0));
                            }
                        },
                        "mpcensus-status");
        thread.setDaemon(true);
        thread.start();
    }

    /** One status line. */
    static String line(
            String command,
            double seconds,
            long rows,
            long deadLetters,
            long totalBytes,
            long bytes) {
        StringBuilder b =
                new StringBuilder(
                        String.format(
                                "mpcensus %s: %s elapsed, %,d rows (%,.0f/s), %,d unreadable",
                                command,
                                clock(seconds),
                                rows,
                                rows / Math.max(seconds, 1e-9),
                                deadLetters));
        if (totalBytes > 0) {
            double done = Math.min(1.0, (double) bytes / totalBytes);
            b.append(String.format(", %.1f%% of %s read", 100 * done, size(totalBytes)));
            if (done > 0 && done < 1) {
                b.append(", ETA ").append(clock(seconds / done - seconds));
            }
        }
        return b.toString();
    }

    /** The final line of a command that started at {@code startNanos}: what it did. */
    static void printDone(String command, long startNanos, String what) {
        System.err.println(
                "mpcensus "
                        + command
                        + ": done in "
                        + clock((System.nanoTime() - startNanos) / 1e9)
                        + ": "
                        + what);
    }

    /** {@code m:ss} or {@code h:mm:ss}. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }

    /** Bytes as kB, MB or GB (decimal). */
    static String size(long bytes) {
        if (bytes >= 1_000_000_000L) {
            return String.format("%.1f GB", bytes / 1e9);
        }
        if (bytes >= 1_000_000L) {
            return String.format("%.1f MB", bytes / 1e6);
        }
        return String.format("%.1f kB", bytes / 1e3);
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
