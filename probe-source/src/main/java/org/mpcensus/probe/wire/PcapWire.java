package org.mpcensus.probe.wire;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;

/**
 * The prober's access to one interface: a pcap4j handle that captures inbound TCP replies
 * (direction IN, immediate mode, a tight BPF filter, non-blocking so the capture thread can poll
 * and stop), and for sending either a second pcap4j handle (one frame per call) or a {@link
 * PacketSocket} (batches of frames per {@code sendmmsg}). Frames are parsed with our own codec,
 * never pcap4j's packet factory. The sending side is used by one thread, the capturing one by
 * another.
 */
public final class PcapWire implements Wire {
    static {
        loadLibrary();
    }

    /**
     * Points pcap4j at Debian's libpcap.so.0.8 when the unversioned name (from libpcap-dev) is
     * missing. Idempotent; call before the first pcap4j handle.
     */
    public static void loadLibrary() {
        if (System.getProperty("org.pcap4j.core.pcapLibName") != null) {
            return;
        }
        for (String lib :
                new String[] {
                    "/usr/lib/x86_64-linux-gnu/libpcap.so.0.8",
                    "/usr/lib/aarch64-linux-gnu/libpcap.so.0.8"
                }) {
            if (Files.exists(Path.of(lib)) && !Files.exists(Path.of(lib.replace(".0.8", "")))) {
                System.setProperty("org.pcap4j.core.pcapLibName", lib);
            }
        }
    }

    private final PcapHandle sender;
    private final PacketSocket batches;
    private final PcapHandle capture;

    private PcapWire(PcapHandle sender, PacketSocket batches, PcapHandle capture) {
        this.sender = sender;
        this.batches = batches;
        this.capture = capture;
    }

    /**
     * Opens the interface.
     *
     * @param bpf the capture filter
     * @param batched send through a {@link PacketSocket} in batches instead of pcap
     * @throws IOException naming CAP_NET_RAW when the process may not open raw handles
     */
    public static PcapWire open(String interfaceName, String bpf, int bufferBytes, boolean batched)
            throws IOException {
        try {
            PcapHandle sender =
                    batched
                            ? null
                            : new PcapHandle.Builder(interfaceName)
                                    .snaplen(128)
                                    .promiscuousMode(
                                            PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                                    .timeoutMillis(1)
                                    .immediateMode(true)
                                    .build();
            PcapHandle capture =
                    new PcapHandle.Builder(interfaceName)
                            .snaplen(256)
                            .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                            .timeoutMillis(1)
                            .bufferSize(bufferBytes)
                            .immediateMode(true)
                            .timestampPrecision(PcapHandle.TimestampPrecision.MICRO)
                            .build();
            capture.setDirection(PcapHandle.PcapDirection.IN);
            capture.setFilter(bpf, BpfProgram.BpfCompileMode.OPTIMIZE);
            capture.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
            PacketSocket batches;
            try {
                batches = batched ? PacketSocket.open(interfaceName) : null;
            } catch (IOException e) {
                capture.close();
                throw e;
            }
            return new PcapWire(sender, batches, capture);
        } catch (PcapNativeException | NotOpenException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("ermission") || m.contains("not permitted")) {
                throw new IOException(
                        "cannot capture on "
                                + interfaceName
                                + ": the prober needs CAP_NET_RAW (run as root, or e.g. setpriv"
                                + " --inh-caps=+net_raw --ambient-caps=+net_raw java ...): "
                                + m,
                        e);
            }
            throw new IOException("cannot open interface " + interfaceName + ": " + m, e);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new IOException(
                    "libpcap is not installed (Debian: apt-get install libpcap0.8)", e);
        }
    }

    @Override
    public void send(byte[] frame, int length) throws IOException {
        if (batches != null) {
            batches.send(frame, length);
            return;
        }
        try {
            sender.sendPacket(frame, length);
        } catch (PcapNativeException | NotOpenException e) {
            throw new IOException("send failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void flush() throws IOException {
        if (batches != null) {
            batches.flush();
        }
    }

    @Override
    public byte[] poll() throws IOException {
        try {
            return capture.getNextRawPacket();
        } catch (NotOpenException e) {
            throw new IOException(e);
        }
    }

    @Override
    public long lastTimestampMicros() {
        Timestamp t = capture.getTimestamp();
        return t.getTime() / 1000 * 1_000_000L + t.getNanos() / 1000;
    }

    @Override
    public long dropped() {
        try {
            PcapStat s = capture.getStats();
            return s.getNumPacketsDropped() + s.getNumPacketsDroppedByIf();
        } catch (PcapNativeException | NotOpenException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        if (sender != null) {
            sender.close();
        }
        if (batches != null) {
            batches.close();
        }
        capture.close();
    }
}
