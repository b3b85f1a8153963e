package org.mpcensus.probe.archive;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads frames from a pcap (microsecond or nanosecond) or pcapng stream of either byte order,
 * validating every length before it allocates or reads. Not thread-safe: one reader per stream.
 *
 * <pre>
 * pcap:   global header (24) | record header (16: ts_sec, ts_frac, incl_len, orig_len) | data | ...
 * pcapng: SHB | IDB ... | EPB / SPB / PB (interface id, ts high, ts low, caplen, len, data, options)
 * </pre>
 */
public final class CaptureReader implements Closeable {

    /** The largest frame we accept; larger lengths mean a corrupt file. */
    public static final int MAX_FRAME = 262_144;

    private static final int PCAP_MAGIC_MICROS = 0xa1b2c3d4;
    private static final int PCAP_MAGIC_NANOS = 0xa1b23c4d;
    private static final int PCAPNG_SHB = 0x0a0d0d0a;
    private static final int PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;
    private static final int PCAPNG_IDB = 1;
    private static final int PCAPNG_PB = 2;
    private static final int PCAPNG_SPB = 3;
    private static final int PCAPNG_EPB = 6;
    private static final int MAX_BLOCK = 16 * 1024 * 1024;

    private final InputStream in;
    private final boolean pcapng;
    private ByteOrder order;
    private long position;
    private long frames;

    // pcap: a record header, read into the same bytes for every frame
    private final byte[] recordHeader = new byte[16];
    private ByteBuffer recordHeaderBuffer;
    private int pcapLinkType;
    private boolean pcapNanos;

    // pcapng: per interface link type and timestamp resolution (units per second)
    private final List<int[]> interfaces = new ArrayList<>();
    private final List<long[]> resolutions = new ArrayList<>();

    /**
     * Opens a capture: reads and checks the file header.
     *
     * @throws CorruptCaptureException when the stream is not a pcap or pcapng capture
     */
    public CaptureReader(InputStream in) throws IOException {
        this.in = in;
        byte[] magic = readFully(4, "file header");
        int big = ByteBuffer.wrap(magic).order(ByteOrder.BIG_ENDIAN).getInt();
        int little = ByteBuffer.wrap(magic).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (big == PCAPNG_SHB) {
            pcapng = true;
            readSection(readFully(8, "pcapng section header"), 0);
        } else if (big == PCAP_MAGIC_MICROS || big == PCAP_MAGIC_NANOS) {
            pcapng = false;
            order = ByteOrder.BIG_ENDIAN;
            readPcapHeader(big == PCAP_MAGIC_NANOS);
        } else if (little == PCAP_MAGIC_MICROS || little == PCAP_MAGIC_NANOS) {
            pcapng = false;
            order = ByteOrder.LITTLE_ENDIAN;
            readPcapHeader(little == PCAP_MAGIC_NANOS);
        } else {
            throw new CorruptCaptureException(
                    0,
                    String.format(
                            "not a pcap or pcapng file: magic 0x%08x (expected a1b2c3d4, a1b23c4d or"
                                    + " 0a0d0d0a)",
                            big));
        }
    }

    /** The byte offset of the next unread byte. */
    public long position() {
        return position;
    }

    /** The next frame, or null at the end of the capture. */
    public CapturedFrame next() throws IOException {
        return pcapng ? nextPcapng() : nextPcap();
    }

    private void readPcapHeader(boolean nanos) throws IOException {
        ByteBuffer h = ByteBuffer.wrap(readFully(20, "pcap global header")).order(order);
        pcapNanos = nanos;
        recordHeaderBuffer = ByteBuffer.wrap(recordHeader).order(order);
        int snaplen = h.getInt(12);
        // The upper bits of the link-type field carry FCS information (pcap spec section 4.1).
        pcapLinkType = h.getInt(16) & 0x0fffffff;
        if (snaplen < 0) {
            throw new CorruptCaptureException(16, "negative snap length " + snaplen);
        }
    }

    private CapturedFrame nextPcap() throws IOException {
        long start = position;
        if (!readOrEnd(recordHeader)) {
            return null;
        }
        ByteBuffer h = recordHeaderBuffer;
        long seconds = Integer.toUnsignedLong(h.getInt(0));
        long fraction = Integer.toUnsignedLong(h.getInt(4));
        int captured = h.getInt(8);
        int original = h.getInt(12);
        if (captured < 0 || captured > MAX_FRAME) {
            throw new CorruptCaptureException(
                    start, "record of frame " + (frames + 1) + " claims " + captured + " bytes");
        }
        if (fraction >= (pcapNanos ? 1_000_000_000L : 1_000_000L)) {
            throw new CorruptCaptureException(
                    start,
                    "record of frame "
                            + (frames + 1)
                            + " has a sub-second timestamp of "
                            + fraction
                            + (pcapNanos ? " ns" : " us"));
        }
        byte[] data = readFrame(captured);
        long nanos = seconds * 1_000_000_000L + (pcapNanos ? fraction : fraction * 1000);
        return new CapturedFrame(++frames, nanos, pcapLinkType, data, Math.max(original, captured));
    }

    /**
     * Reads a section header block after its type: {@code lenAndMagic} is length + byte-order
     * magic.
     */
    private void readSection(byte[] lenAndMagic, long start) throws IOException {
        if (ByteBuffer.wrap(lenAndMagic, 4, 4).order(ByteOrder.BIG_ENDIAN).getInt()
                == PCAPNG_BYTE_ORDER_MAGIC) {
            order = ByteOrder.BIG_ENDIAN;
        } else if (ByteBuffer.wrap(lenAndMagic, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt()
                == PCAPNG_BYTE_ORDER_MAGIC) {
            order = ByteOrder.LITTLE_ENDIAN;
        } else {
            throw new CorruptCaptureException(
                    start, "pcapng section header without byte-order magic");
        }
        int total = ByteBuffer.wrap(lenAndMagic, 0, 4).order(order).getInt();
        checkBlockLength(total, start);
        readFully(total - 12, "pcapng section header body");
        interfaces.clear();
        resolutions.clear();
    }

    private CapturedFrame nextPcapng() throws IOException {
        while (true) {
            long start = position;
            byte[] head = new byte[8];
            if (!readOrEnd(head)) {
                head = null;
            }
            if (head == null) {
                return null;
            }
            ByteBuffer h = ByteBuffer.wrap(head).order(order);
            int type = h.getInt(0);
            if (type == PCAPNG_SHB) {
                // A new section may switch byte order: its lengths are read after the magic.
                byte[] lenAndMagic = new byte[8];
                System.arraycopy(head, 4, lenAndMagic, 0, 4);
                System.arraycopy(readFully(4, "pcapng section header"), 0, lenAndMagic, 4, 4);
                readSection(lenAndMagic, start);
                continue;
            }
            int total = h.getInt(4);
            checkBlockLength(total, start);
            ByteBuffer body = ByteBuffer.wrap(readFully(total - 8, "pcapng block")).order(order);
            int trailer = body.getInt(total - 12);
            if (trailer != total) {
                throw new CorruptCaptureException(
                        start,
                        "pcapng block lengths differ: "
                                + total
                                + " at start, "
                                + trailer
                                + " at end");
            }
            switch (type) {
                case PCAPNG_IDB -> readInterface(body, total - 12, start);
                case PCAPNG_EPB, PCAPNG_PB -> {
                    return packetBlock(body, type, total - 12, start);
                }
                case PCAPNG_SPB -> {
                    return simplePacketBlock(body, total - 12, start);
                }
                default -> {
                    // Name resolution, statistics and custom blocks carry no frames.
                }
            }
        }
    }

    private void readInterface(ByteBuffer body, int length, long start) throws IOException {
        if (length < 8) {
            throw new CorruptCaptureException(
                    start, "pcapng interface block of " + length + " bytes");
        }
        int linkType = body.getShort(0) & 0xffff;
        long resolution = 1_000_000L;
        int at = 8;
        while (at + 4 <= length) {
            int code = body.getShort(at) & 0xffff;
            int optLength = body.getShort(at + 2) & 0xffff;
            if (code == 0) {
                break;
            }
            if (at + 4 + optLength > length) {
                throw new CorruptCaptureException(
                        start, "pcapng interface option runs past its block");
            }
            if (code == 9 && optLength >= 1) {
                int tsresol = body.get(at + 4) & 0xff;
                int exponent = tsresol & 0x7f;
                if ((tsresol & 0x80) == 0) {
                    resolution = exponent > 18 ? Long.MAX_VALUE : pow(10, exponent);
                } else {
                    resolution = exponent > 62 ? Long.MAX_VALUE : 1L << exponent;
                }
            }
            at += 4 + ((optLength + 3) & ~3);
        }
        interfaces.add(new int[] {linkType});
        resolutions.add(new long[] {resolution});
    }

    private CapturedFrame packetBlock(ByteBuffer body, int type, int length, long start)
            throws IOException {
        if (length < 20) {
            throw new CorruptCaptureException(start, "pcapng packet block of " + length + " bytes");
        }
        int iface = type == PCAPNG_EPB ? body.getInt(0) : body.getShort(0) & 0xffff;
        long high = Integer.toUnsignedLong(body.getInt(4));
        long low = Integer.toUnsignedLong(body.getInt(8));
        int captured = body.getInt(12);
        int original = body.getInt(16);
        if (iface < 0 || iface >= interfaces.size()) {
            throw new CorruptCaptureException(
                    start, "packet block names interface " + iface + " of " + interfaces.size());
        }
        if (captured < 0 || captured > MAX_FRAME || 20 + captured > length) {
            throw new CorruptCaptureException(
                    start, "packet block claims " + captured + " captured bytes in " + length);
        }
        byte[] data = new byte[captured];
        body.get(20, data);
        long units = (high << 32) | low;
        return new CapturedFrame(
                ++frames,
                toNanos(units, resolutions.get(iface)[0]),
                interfaces.get(iface)[0],
                data,
                Math.max(original, captured));
    }

    private CapturedFrame simplePacketBlock(ByteBuffer body, int length, long start)
            throws IOException {
        if (interfaces.isEmpty() || length < 4) {
            throw new CorruptCaptureException(start, "simple packet block without interface");
        }
        int original = body.getInt(0);
        int captured = Math.min(original, length - 4);
        if (captured < 0 || captured > MAX_FRAME) {
            throw new CorruptCaptureException(
                    start, "simple packet block of " + original + " bytes");
        }
        byte[] data = new byte[captured];
        body.get(4, data);
        // Simple packet blocks carry no timestamp.
        return new CapturedFrame(++frames, 0, interfaces.get(0)[0], data, original);
    }

    private static long toNanos(long units, long perSecond) {
        if (perSecond == 1_000_000_000L) {
            return units;
        }
        long seconds = Long.divideUnsigned(units, perSecond);
        long rest = Long.remainderUnsigned(units, perSecond);
        if (seconds > Long.MAX_VALUE / 1_000_000_000L - 1) {
            return Long.MAX_VALUE; // beyond any capture time: the decoder rejects it
        }
        return seconds * 1_000_000_000L + (long) ((double) rest * 1e9 / perSecond);
    }

    private static long pow(long base, int exponent) {
        long r = 1;
        for (int i = 0; i < exponent; i++) {
            r *= base;
        }
        return r;
    }

    private void checkBlockLength(int total, long start) throws CorruptCaptureException {
        if (total < 12 || total > MAX_BLOCK || total % 4 != 0) {
            throw new CorruptCaptureException(
                    start,
                    "pcapng block length " + total + " (a multiple of 4, 12 to " + MAX_BLOCK + ")");
        }
    }

    /** Reads a frame's data (the message names the frame only when the file ends inside it). */
    private byte[] readFrame(int n) throws IOException {
        byte[] b = new byte[n];
        int got = in.readNBytes(b, 0, n);
        position += got;
        if (got < n) {
            throw new CorruptCaptureException(
                    position - got,
                    "file ends inside the data of frame "
                            + (frames + 1)
                            + " ("
                            + got
                            + " of "
                            + n
                            + " bytes)");
        }
        return b;
    }

    private boolean readOrEnd(byte[] b) throws IOException {
        int n = b.length;
        int got = in.readNBytes(b, 0, n);
        if (got == 0) {
            return false;
        }
        position += got;
        if (got < n) {
            throw new CorruptCaptureException(
                    position - got,
                    "file ends inside a record header (" + got + " of " + n + " bytes)");
        }
        return true;
    }

    private byte[] readFully(int n, String what) throws IOException {
        byte[] b = new byte[n];
        int got = in.readNBytes(b, 0, n);
        position += got;
        if (got < n) {
            throw new CorruptCaptureException(
                    position - got,
                    "file ends inside the " + what + " (" + got + " of " + n + " bytes)");
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
