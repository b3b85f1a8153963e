package org.mpcensus.probe.archive;

import java.nio.charset.StandardCharsets;
import org.mpcensus.probe.event.CensusInput;
import org.mpcensus.probe.event.DeadLetter;

/**
 * Where the lines of a line-based archive come from: the file, and the byte its lines were counted
 * from ({@link LineRange}; 0 for the whole file). A bad line becomes a dead letter located here.
 *
 * @param source the file
 * @param firstByte the byte the line numbers count from
 */
record LineOrigin(String source, long firstByte) {

    /** Where line {@code line} is: {@code line 7}, or {@code line 7 from byte 1048576}. */
    String location(long line) {
        return firstByte == 0 ? "line " + line : "line " + line + " from byte " + firstByte;
    }

    /** The dead letter of a bad line, its text kept. */
    CensusInput dead(long line, String text, String reason) {
        return CensusInput.of(
                new DeadLetter(
                        source, location(line), reason, text.getBytes(StandardCharsets.UTF_8), -1));
    }
}
