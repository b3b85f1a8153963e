package org.mpcensus.probe.http;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * A kernel stream socket opened with {@code socket(2)} itself, because the JDK cannot ask for
 * {@code IPPROTO_MPTCP} (262): the same code opens the MPTCP and the plain TCP (6) connection of a
 * timing pair, so the two differ in nothing but the protocol. Blocking, with the time left given to
 * the kernel before every call ({@code SO_SNDTIMEO} bounds {@code connect}, {@code SO_RCVTIMEO}
 * bounds {@code read}). Errors are {@link IOException}s whose message is the errno's name ({@code
 * ECONNREFUSED}, {@code EHOSTUNREACH}, ...), or {@code TIMEOUT}. One thread at a time.
 *
 * <pre>
 * struct sockaddr_in  (16 bytes) { u16 family; be16 port; u8 addr[4]; u8 zero[8] }
 * struct sockaddr_in6 (28 bytes) { u16 family; be16 port; u32 flowinfo; u8 addr[16]; u32 scope }
 * struct timeval      (16 bytes) { long sec; long usec }
 * </pre>
 */
public final class KernelSocket implements Closeable {
    /** The protocol number of Multipath TCP (Linux 5.6 and later). */
    public static final int IPPROTO_MPTCP = 262;

    /** The protocol number of TCP. */
    public static final int IPPROTO_TCP = 6;

    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCK_STREAM = 1;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int SO_SNDTIMEO = 21;
    private static final int SOL_TCP = 6;
    private static final int TCP_NODELAY = 1;
    private static final int TCP_IS_MPTCP = 43;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int EINPROGRESS = 115;

    private static final Map<Integer, String> ERRNO =
            Map.ofEntries(
                    Map.entry(1, "EPERM"),
                    Map.entry(13, "EACCES"),
                    Map.entry(22, "EINVAL"),
                    Map.entry(32, "EPIPE"),
                    Map.entry(93, "EPROTONOSUPPORT"),
                    Map.entry(97, "EAFNOSUPPORT"),
                    Map.entry(99, "EADDRNOTAVAIL"),
                    Map.entry(100, "ENETDOWN"),
                    Map.entry(101, "ENETUNREACH"),
                    Map.entry(103, "ECONNABORTED"),
                    Map.entry(104, "ECONNRESET"),
                    Map.entry(110, "ETIMEDOUT"),
                    Map.entry(111, "ECONNREFUSED"),
                    Map.entry(112, "EHOSTDOWN"),
                    Map.entry(113, "EHOSTUNREACH"));

    static {
        Native.register(KernelSocket.class, "c");
    }

    private static native int socket(int domain, int type, int protocol) throws LastErrorException;

    private static native int connect(int fd, byte[] address, int length) throws LastErrorException;

    private static native int setsockopt(int fd, int level, int name, byte[] value, int length)
            throws LastErrorException;

    private static native int getsockopt(int fd, int level, int name, byte[] value, int[] length)
            throws LastErrorException;

    private static native long read(int fd, byte[] buffer, long count) throws LastErrorException;

    private static native long write(int fd, byte[] buffer, long count) throws LastErrorException;

    private static native int close(int fd) throws LastErrorException;

    private final int fd;
    private final boolean ipv6;
    private boolean closed;

    private KernelSocket(int fd, boolean ipv6) {
        this.fd = fd;
        this.ipv6 = ipv6;
    }

    /**
     * Opens a stream socket.
     *
     * @param ipv6 AF_INET6 rather than AF_INET
     * @param protocol {@link #IPPROTO_MPTCP} or {@link #IPPROTO_TCP}
     * @throws IOException {@code EPROTONOSUPPORT} when the kernel has no MPTCP, or MPTCP is off
     *     ({@code net.mptcp.enabled=0})
     */
    public static KernelSocket open(boolean ipv6, int protocol) throws IOException {
        try {
            return new KernelSocket(socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM, protocol), ipv6);
        } catch (LastErrorException e) {
            throw error(e);
        }
    }

    /** Bounds the next calls: a connect, read or write waits at most this long. */
    public void timeout(long millis) throws IOException {
        long m = Math.max(1, millis);
        byte[] tv =
                ByteBuffer.allocate(16)
                        .order(ByteOrder.nativeOrder())
                        .putLong(m / 1000)
                        .putLong((m % 1000) * 1000)
                        .array();
        try {
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, tv, tv.length);
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, tv.length);
        } catch (LastErrorException e) {
            throw error(e);
        }
    }

    /**
     * Sends small writes at once ({@code TCP_NODELAY}), as curl does: a request written right after
     * the TLS handshake must not wait for the server's delayed acknowledgement.
     */
    public void noDelay() throws IOException {
        byte[] one = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(1).array();
        try {
            setsockopt(fd, SOL_TCP, TCP_NODELAY, one, one.length);
        } catch (LastErrorException e) {
            throw error(e);
        }
    }

    /** Connects (the three-way handshake) to an address of the socket's family. */
    public void connect(byte[] address, int port) throws IOException {
        ByteBuffer a = ByteBuffer.allocate(ipv6 ? 28 : 16).order(ByteOrder.nativeOrder());
        a.putShort((short) (ipv6 ? AF_INET6 : AF_INET));
        a.order(ByteOrder.BIG_ENDIAN).putShort((short) port);
        if (ipv6) {
            a.putInt(0);
        }
        if (address.length != (ipv6 ? 16 : 4)) {
            throw new IOException("EAFNOSUPPORT");
        }
        a.put(address);
        try {
            connect(fd, a.array(), a.capacity());
        } catch (LastErrorException e) {
            throw error(e);
        }
    }

    /** Writes all of {@code length} bytes. */
    public void write(byte[] data, int length) throws IOException {
        byte[] rest = data;
        int left = length;
        while (left > 0) {
            long n;
            try {
                n = write(fd, rest, left);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == EINTR) {
                    continue;
                }
                throw error(e);
            }
            left -= (int) n;
            if (left > 0) {
                rest = java.util.Arrays.copyOfRange(rest, (int) n, (int) n + left);
            }
        }
    }

    /** Reads up to {@code max} bytes into the start of a buffer; -1 at the end of the stream. */
    public int read(byte[] buffer, int max) throws IOException {
        while (true) {
            try {
                long n = read(fd, buffer, Math.min(max, buffer.length));
                return n == 0 ? -1 : (int) n;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw error(e);
                }
            }
        }
    }

    /**
     * True when the connection is Multipath TCP now: an MPTCP socket that has not fallen back to
     * TCP ({@code getsockopt(SOL_TCP, TCP_IS_MPTCP)}, Linux 5.16 and later). Always false for a TCP
     * socket.
     */
    public boolean isMptcp() {
        byte[] value = new byte[4];
        try {
            getsockopt(fd, SOL_TCP, TCP_IS_MPTCP, value, new int[] {4});
        } catch (LastErrorException e) {
            return false;
        }
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getInt() != 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                close(fd);
            } catch (LastErrorException ignored) {
                // the descriptor is released whatever close reports
            }
        }
    }

    /** The errno's name ({@code TIMEOUT} for a timed-out call). */
    static IOException error(LastErrorException e) {
        int code = e.getErrorCode();
        if (code == EAGAIN || code == EINPROGRESS) {
            return new IOException("TIMEOUT");
        }
        return new IOException(ERRNO.getOrDefault(code, "ERRNO_" + code));
    }
}
