package org.mpcensus.probe.archive;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.mpcensus.probe.event.ArchiveRecord;
import org.mpcensus.probe.event.DeadLetter;

/**
 * Reads mpcensus's own archive ({@link ReplyArchiveJson}, one reply per line); bad lines become
 * dead letters.
 */
public final class ReplyArchiveDecoder implements ArchiveDecoder {
    private final BufferedReader in;
    private final String source;
    private long line;

    public ReplyArchiveDecoder(InputStream in, String source) {
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        this.source = source;
    }

    @Override
    public ArchiveRecord next() throws IOException {
        String text;
        while ((text = in.readLine()) != null) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            try {
                return ArchiveRecord.of(ReplyArchiveJson.parse(text));
            } catch (IllegalArgumentException e) {
                return ArchiveRecord.of(
                        new DeadLetter(
                                source,
                                "line " + line,
                                e.getMessage(),
                                text.getBytes(StandardCharsets.UTF_8),
                                -1));
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
