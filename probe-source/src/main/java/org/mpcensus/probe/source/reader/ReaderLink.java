package org.mpcensus.probe.source.reader;

import java.io.IOException;
import org.mpcensus.probe.source.plan.ScanPlan;
import org.mpcensus.probe.wire.NextHop;
import org.mpcensus.probe.wire.PcapWire;
import org.mpcensus.probe.wire.Wire;

/**
 * A reader's opened wire with where it sends from.
 *
 * @param wire the interface's frames
 * @param vantage the interface, source ports, addresses and next hop of the reader
 * @param ownMac the interface's MAC, the source of every probe frame
 */
record ReaderLink(Wire wire, ReaderVantage vantage, byte[] ownMac) {
    /** Kernel buffer of the capture handle: a few seconds of replies at full rate. */
    private static final int CAPTURE_BUFFER_BYTES = 32 << 20;

    /** How a reader opens its link; the real one is {@link #open}. */
    @FunctionalInterface
    interface Opener {
        ReaderLink open(ScanPlan plan, int readers, int index) throws IOException;
    }

    /** Resolves the vantage of reader {@code index} of {@code readers} and opens its interface. */
    static ReaderLink open(ScanPlan plan, int readers, int index) throws IOException {
        ReaderVantage v = ReaderVantage.resolve(plan, readers, index);
        Wire wire =
                PcapWire.open(
                        v.interfaceName(),
                        v.captureFilter(),
                        CAPTURE_BUFFER_BYTES,
                        plan.batchedSend());
        return new ReaderLink(wire, v, NextHop.interfaceMac(v.interfaceName()));
    }
}
