package org.mpcensus.probe.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.mpcensus.probe.event.CensusInput;
import org.mpcensus.probe.event.DeadLetter;

/**
 * A decoder of a line-based archive (ZMap CSV, mpcensus's JSON Lines): it reads the lines of a
 * file, or of the part of it from byte {@code firstByte} on ({@link LineRange}), numbers them,
 * makes a line longer than the limit a dead letter, skips blank lines and gives the others to
 * {@link #decode}. A bad line becomes a dead letter located at its number.
 */
abstract class LineDecoder implements ArchiveDecoder {
    private final LineReader in;
    private final String source;
    private final long firstByte;
    private long line;

    LineDecoder(InputStream in, String source, int maxLineBytes, long firstByte) {
        this.in = new LineReader(in, maxLineBytes);
        this.source = source;
        this.firstByte = firstByte;
    }

    /**
     * A line's record, its dead letter, or null for a line that holds none (a comment, a header).
     */
    abstract CensusInput decode(String text);

    @Override
    public final CensusInput next() throws IOException {
        LineReader.Line l;
        while ((l = in.next()) != null) {
            line++;
            String text = l.text();
            if (l.cut()) {
                return dead(text, in.tooLong(l));
            }
            if (text.isBlank()) {
                continue;
            }
            CensusInput r = decode(text);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    /** The dead letter of the current line, its text kept. */
    final CensusInput dead(String text, String reason) {
        String location =
                firstByte == 0 ? "line " + line : "line " + line + " from byte " + firstByte;
        return CensusInput.of(
                new DeadLetter(
                        source, location, reason, text.getBytes(StandardCharsets.UTF_8), -1));
    }

    @Override
    public final void close() throws IOException {
        in.close();
    }
}
