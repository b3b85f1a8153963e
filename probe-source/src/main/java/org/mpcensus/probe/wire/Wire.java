package org.mpcensus.probe.wire;

import java.io.Closeable;
import java.io.IOException;

/**
 * One interface as the prober sees it: frames out (one sending thread, only through {@link
 * ProbeSender}, which applies the blocklist) and captured frames in (one capturing thread). {@link
 * PcapWire} is the real one.
 */
public interface Wire extends Closeable {
    /** Sends one complete Ethernet frame, or batches it until {@link #flush()}. */
    void send(byte[] frame, int length) throws IOException;

    /** Puts the frames a batch still holds on the wire. */
    void flush() throws IOException;

    /** The next captured frame, or null when none is waiting. */
    byte[] poll() throws IOException;

    /** Capture time of the frame {@link #poll()} returned last, microseconds since the epoch. */
    long lastTimestampMicros();

    /** Frames the kernel or the capture library dropped, or -1 when unknown. */
    long dropped();

    @Override
    void close();
}
