package org.mpcensus.probe.wire;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.Closeable;
import java.io.IOException;

/**
 * A Linux {@code AF_PACKET} raw socket bound to one interface that sends complete Ethernet frames
 * in batches with {@code sendmmsg(2)}: one system call for up to {@link #BATCH} frames, where pcap
 * makes one per frame. Frames are copied into native buffers reused for every batch. Used by one
 * sending thread; capture stays with pcap.
 *
 * <pre>
 * struct mmsghdr (64 bytes) { struct msghdr msg_hdr (56); unsigned int msg_len; pad }
 * struct msghdr  { void *name; socklen_t namelen; pad; struct iovec *iov; size_t iovlen;
 *                  void *control; size_t controllen; int flags; pad }
 * struct iovec   (16 bytes) { void *base; size_t len }
 * struct sockaddr_ll (20 bytes) { u16 family; be16 protocol; int ifindex; u16 hatype;
 *                  u8 pkttype; u8 halen; u8 addr[8] }
 * </pre>
 */
public final class PacketSocket implements Closeable {
    /** Frames per system call. */
    public static final int BATCH = 64;

    private static final int AF_PACKET = 17;
    private static final int SOCK_RAW = 3;
    private static final int SOL_PACKET = 263;
    private static final int PACKET_QDISC_BYPASS = 20;
    private static final int ENOBUFS = 105;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int SLOT = 256;
    private static final int MMSGHDR = 64;
    private static final int IOVEC = 16;

    static {
        Native.register(PacketSocket.class, "c");
    }

    private static native int socket(int domain, int type, int protocol) throws LastErrorException;

    private static native int bind(int fd, Pointer address, int length) throws LastErrorException;

    private static native int sendmmsg(int fd, Pointer messages, int count, int flags)
            throws LastErrorException;

    private static native int close(int fd) throws LastErrorException;

    private static native int setsockopt(int fd, int level, int name, int[] value, int length);

    private static native int if_nametoindex(String name);

    private final int fd;
    private final Memory frames = new Memory((long) BATCH * SLOT);
    private final Memory iovecs = new Memory((long) BATCH * IOVEC);
    private final Memory headers = new Memory((long) BATCH * MMSGHDR);
    private int queued;
    private boolean closed;

    private PacketSocket(int fd) {
        this.fd = fd;
        headers.clear();
        for (int i = 0; i < BATCH; i++) {
            iovecs.setPointer((long) i * IOVEC, frames.share((long) i * SLOT));
            long h = (long) i * MMSGHDR;
            headers.setPointer(h + 16, iovecs.share((long) i * IOVEC));
            headers.setLong(h + 24, 1);
        }
    }

    /**
     * Opens a socket on an interface.
     *
     * @throws IOException naming CAP_NET_RAW when the process may not open it
     */
    public static PacketSocket open(String interfaceName) throws IOException {
        int index = if_nametoindex(interfaceName);
        if (index == 0) {
            throw new IOException("no interface " + interfaceName);
        }
        int fd;
        try {
            // Protocol 0: this socket only sends, the kernel delivers it nothing.
            fd = socket(AF_PACKET, SOCK_RAW, 0);
        } catch (LastErrorException e) {
            throw new IOException(
                    "cannot open a packet socket (the prober needs CAP_NET_RAW): " + e.getMessage(),
                    e);
        }
        try (Memory address = new Memory(20)) {
            address.clear();
            address.setShort(0, (short) AF_PACKET);
            address.setInt(4, index);
            bind(fd, address, 20);
        } catch (LastErrorException e) {
            close(fd);
            throw new IOException("cannot bind a packet socket to " + interfaceName, e);
        }
        // Frames go to the driver directly, not through the interface's queueing discipline (the
        // probes are paced by the rate limiter; a kernel without the option queues them as before).
        setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, new int[] {1}, 4);
        return new PacketSocket(fd);
    }

    /** Queues a frame; sends the batch when it is full. */
    public void send(byte[] frame, int length) throws IOException {
        if (length > SLOT) {
            throw new IllegalArgumentException("frame of " + length + " bytes");
        }
        frames.write((long) queued * SLOT, frame, 0, length);
        iovecs.setLong((long) queued * IOVEC + 8, length);
        if (++queued == BATCH) {
            flush();
        }
    }

    /** Sends every queued frame; a full send buffer is waited out, not dropped. */
    public void flush() throws IOException {
        int done = 0;
        while (done < queued) {
            try {
                done += sendmmsg(fd, headers.share((long) done * MMSGHDR), queued - done, 0);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == ENOBUFS
                        || e.getErrorCode() == EAGAIN
                        || e.getErrorCode() == EINTR) {
                    Thread.onSpinWait();
                    continue;
                }
                queued = 0;
                throw new IOException("sendmmsg failed: " + e.getMessage(), e);
            }
        }
        queued = 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            close(fd);
            frames.close();
            iovecs.close();
            headers.close();
        }
    }
}
