package org.mpcensus.probe.archive;

import java.io.InputStream;
import org.mpcensus.probe.event.CensusInput;

/**
 * Reads mpcensus's own archive ({@link ReplyArchiveJson}, one reply per line); bad lines become
 * dead letters.
 */
public final class ReplyArchiveDecoder extends LineDecoder {

    public ReplyArchiveDecoder(InputStream in, String source, int maxLineBytes) {
        this(in, source, maxLineBytes, 0);
    }

    /** A decoder of the lines of a file from byte {@code firstByte} on ({@link LineRange}). */
    ReplyArchiveDecoder(InputStream in, String source, int maxLineBytes, long firstByte) {
        super(in, source, maxLineBytes, firstByte);
    }

    @Override
    CensusInput decode(String text) {
        try {
            return CensusInput.of(ReplyArchiveJson.parse(text));
        } catch (IllegalArgumentException e) {
            return dead(text, e.getMessage());
        }
    }
}
