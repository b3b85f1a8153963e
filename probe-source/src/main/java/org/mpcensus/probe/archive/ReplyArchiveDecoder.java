package org.mpcensus.probe.archive;

import java.io.IOException;
import java.io.InputStream;
import org.mpcensus.probe.event.CensusInput;

/**
 * Reads mpcensus's own archive ({@link ReplyArchiveJson}, one reply per line); bad lines become
 * dead letters.
 */
public final class ReplyArchiveDecoder implements ArchiveDecoder {
    private final LineReader in;
    private final LineOrigin origin;
    private long line;

    public ReplyArchiveDecoder(InputStream in, String source, int maxLineBytes) {
        this(in, source, maxLineBytes, 0);
    }

    /** A decoder of the lines of a file from byte {@code firstByte} on ({@link LineRange}). */
    ReplyArchiveDecoder(InputStream in, String source, int maxLineBytes, long firstByte) {
        this.in = new LineReader(in, maxLineBytes);
        this.origin = new LineOrigin(source, firstByte);
    }

    @Override
    public CensusInput next() throws IOException {
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
            try {
                return CensusInput.of(ReplyArchiveJson.parse(text));
            } catch (IllegalArgumentException e) {
                return dead(text, e.getMessage());
            }
        }
        return null;
    }

    private CensusInput dead(String text, String reason) {
        return origin.dead(line, text, reason);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
