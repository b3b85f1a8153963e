package org.mpcensus.probe.http;

import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import org.mpcensus.probe.packet.IpAddress;
import org.mpcensus.probe.target.OptOutList;

/**
 * Times HTTP/1.1 GETs over kernel MPTCP and plain TCP sockets ({@link KernelSocket}), with TLS on
 * the TLS ports through the JDK's {@link SSLEngine} over the same socket. Bounded: one deadline per
 * GET for everything, at most {@link Settings#maxBytes()} of response read, and never a connection
 * to an address the blocklist or opt-out list holds. Servers are not authenticated (the timing is
 * what is measured, as {@code curl -k} does). Thread-safe.
 */
public final class HttpTimer {

    /**
     * How a GET is made.
     *
     * @param timeoutMillis the longest a GET may take, connect to last byte
     * @param maxBytes response bytes after which reading stops (the GET counts as complete)
     * @param tlsPorts ports spoken to with TLS
     * @param path the request path
     * @param userAgent the User-Agent header (with a contact, as a scanner's should)
     */
    public record Settings(
            long timeoutMillis, int maxBytes, Set<Integer> tlsPorts, String path, String userAgent)
            implements Serializable {}

    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};
    private static final int MAX_HEADER = 16 * 1024;

    private final Settings settings;
    private final OptOutList safety;
    private final TlsClient tls;

    public HttpTimer(Settings settings, OptOutList safety) {
        this.settings = settings;
        this.safety = safety;
        tls = new TlsClient();
        tls.warmUp();
    }

    /** One GET to a host and port over MPTCP ({@code mptcp}) or TCP. */
    public HttpTiming get(String host, int port, boolean mptcp) {
        Transport transport = mptcp ? Transport.MPTCP : Transport.TCP;
        byte[] address;
        try {
            address = IpAddress.parse(host);
        } catch (IllegalArgumentException e) {
            return HttpTiming.failed(transport, "BAD_ADDRESS");
        }
        if (safety.blocks(address)) {
            return HttpTiming.failed(transport, "BLOCKED");
        }
        Exchange x = new Exchange(transport, port);
        try (KernelSocket s =
                KernelSocket.open(
                        address.length == 16,
                        mptcp ? KernelSocket.IPPROTO_MPTCP : KernelSocket.IPPROTO_TCP)) {
            x.socket = s;
            s.noDelay();
            x.run(address);
        } catch (IOException e) {
            x.error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        } catch (RuntimeException e) {
            // whatever a server sends ends this GET, never the job
            x.error = "CLIENT: " + e.getClass().getSimpleName();
        } finally {
            if (x.engine != null) {
                tls.release(x.engine);
            }
        }
        return x.timing();
    }

    /** One GET as it happens. */
    private final class Exchange {
        final Transport transport;
        final int port;
        final boolean tlsPort;
        final long start = System.nanoTime();
        final long deadline = start + settings.timeoutMillis() * 1_000_000L;
        KernelSocket socket;
        Double connectMs;
        Double tlsMs;
        Double firstByteMs;
        Double totalMs;
        boolean mptcpUsed;
        boolean mptcpThroughout = true;
        Integer status;
        long bytes;
        String error;
        final byte[] header = new byte[MAX_HEADER];
        int headerLength;
        long contentLength = -1;
        long bodyBytes;
        boolean done;
        SSLEngine engine;

        Exchange(Transport transport, int port) {
            this.transport = transport;
            this.port = port;
            this.tlsPort = settings.tlsPorts().contains(port);
        }

        void run(byte[] address) throws IOException {
            boolean mptcp = transport == Transport.MPTCP;
            left();
            socket.connect(address, port);
            connectMs = since(start);
            mptcpThroughout = !mptcp || socket.isMptcp();
            String request =
                    "GET "
                            + settings.path()
                            + " HTTP/1.1\r\nHost: "
                            + (address.length == 16
                                    ? "[" + IpAddress.format(address) + "]"
                                    : IpAddress.format(address))
                            + "\r\nUser-Agent: "
                            + settings.userAgent()
                            + "\r\nAccept: */*\r\nConnection: close\r\n\r\n";
            byte[] req = request.getBytes(StandardCharsets.US_ASCII);
            if (tlsPort) {
                long t = System.nanoTime();
                handshake();
                tlsMs = since(t);
                tlsSend(req);
                tlsReceive();
            } else {
                left();
                socket.write(req, req.length);
                byte[] buffer = new byte[16 * 1024];
                while (!done) {
                    left();
                    int n = socket.read(buffer, buffer.length);
                    if (n < 0) {
                        break;
                    }
                    response(buffer, 0, n);
                }
            }
            totalMs = since(start);
            mptcpUsed = mptcp && mptcpThroughout && socket.isMptcp();
            if (status == null) {
                throw new IOException(bytes == 0 ? "NO_RESPONSE" : "BAD_RESPONSE");
            }
            if (contentLength >= 0 && bodyBytes < contentLength && bytes < settings.maxBytes()) {
                throw new IOException("SHORT_BODY");
            }
        }

        /** Gives the socket the time left; TIMEOUT when there is none. */
        void left() throws IOException {
            long millis = (deadline - System.nanoTime()) / 1_000_000L;
            if (millis <= 0) {
                throw new IOException("TIMEOUT");
            }
            socket.timeout(millis);
        }

        /** Takes response bytes: the first byte's time, the status, the body's length. */
        void response(byte[] b, int offset, int length) throws IOException {
            if (length <= 0 || done) {
                return;
            }
            if (firstByteMs == null) {
                firstByteMs = since(start);
            }
            int take = (int) Math.min(length, settings.maxBytes() - bytes);
            bytes += take;
            if (status == null) {
                int copy = Math.min(take, MAX_HEADER - headerLength);
                System.arraycopy(b, offset, header, headerLength, copy);
                headerLength += copy;
                int end = indexOf(header, headerLength, HEADER_END);
                if (end < 0) {
                    if (headerLength == MAX_HEADER) {
                        throw new IOException("BAD_RESPONSE");
                    }
                } else {
                    parseHeader(new String(header, 0, end, StandardCharsets.ISO_8859_1));
                    bodyBytes = headerLength - end - HEADER_END.length;
                    // what follows the part of the header buffer already counted
                    bodyBytes += take - copy;
                }
            } else {
                bodyBytes += take;
            }
            if (bytes >= settings.maxBytes()
                    || (contentLength >= 0 && bodyBytes >= contentLength)) {
                done = true;
            }
        }

        void parseHeader(String head) throws IOException {
            String[] lines = head.split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
                throw new IOException("BAD_RESPONSE");
            }
            try {
                status = Integer.parseInt(statusLine[1]);
            } catch (NumberFormatException e) {
                throw new IOException("BAD_RESPONSE");
            }
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0
                        && line.substring(0, colon)
                                .trim()
                                .toLowerCase(Locale.ROOT)
                                .equals("content-length")) {
                    try {
                        contentLength = Long.parseLong(line.substring(colon + 1).trim());
                    } catch (NumberFormatException e) {
                        contentLength = -1;
                    }
                }
            }
        }

        // --- TLS through SSLEngine over the kernel socket

        ByteBuffer netIn;
        ByteBuffer netOut;
        ByteBuffer appIn;
        final byte[] readBuffer = new byte[32 * 1024];
        boolean eof;

        void handshake() throws IOException {
            engine = tls.newEngine();
            int packet = engine.getSession().getPacketBufferSize();
            netIn = ByteBuffer.allocate(packet);
            netOut = ByteBuffer.allocate(packet);
            appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
            try {
                engine.beginHandshake();
                SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
                while (hs != SSLEngineResult.HandshakeStatus.FINISHED
                        && hs != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
                    switch (hs) {
                        case NEED_WRAP -> {
                            netOut.clear();
                            SSLEngineResult r = engine.wrap(ByteBuffer.allocate(0), netOut);
                            flush();
                            hs = r.getHandshakeStatus();
                        }
                        case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> hs = unwrap().getHandshakeStatus();
                        case NEED_TASK -> {
                            Runnable task;
                            while ((task = engine.getDelegatedTask()) != null) {
                                task.run();
                            }
                            hs = engine.getHandshakeStatus();
                        }
                        default -> throw new IOException("TLS: " + hs);
                    }
                }
            } catch (SSLException e) {
                throw new IOException("TLS: " + e.getMessage(), e);
            }
        }

        /** Unwraps one record, reading from the socket while it is incomplete. */
        SSLEngineResult unwrap() throws IOException {
            while (true) {
                netIn.flip();
                SSLEngineResult r = engine.unwrap(netIn, appIn);
                netIn.compact();
                switch (r.getStatus()) {
                    case OK, CLOSED -> {
                        return r;
                    }
                    case BUFFER_OVERFLOW ->
                            appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                    case BUFFER_UNDERFLOW -> {
                        if (eof) {
                            throw new IOException("TLS: connection closed");
                        }
                        if (netIn.remaining() == 0) {
                            netIn = grow(netIn, engine.getSession().getPacketBufferSize());
                        }
                        left();
                        int n = socket.read(readBuffer, netIn.remaining());
                        if (n < 0) {
                            eof = true;
                        } else {
                            netIn.put(readBuffer, 0, n);
                        }
                    }
                }
            }
        }

        void flush() throws IOException {
            netOut.flip();
            if (netOut.hasRemaining()) {
                byte[] out = new byte[netOut.remaining()];
                netOut.get(out);
                left();
                socket.write(out, out.length);
            }
            netOut.clear();
        }

        void tlsSend(byte[] data) throws IOException {
            ByteBuffer app = ByteBuffer.wrap(data);
            while (app.hasRemaining()) {
                netOut.clear();
                engine.wrap(app, netOut);
                flush();
            }
        }

        void tlsReceive() throws IOException {
            while (!done) {
                SSLEngineResult r;
                try {
                    r = unwrap();
                } catch (IOException e) {
                    if (eof) {
                        // a server that closes without close_notify ends the response as well
                        break;
                    }
                    throw e;
                }
                appIn.flip();
                byte[] plain = new byte[appIn.remaining()];
                appIn.get(plain);
                appIn.clear();
                response(plain, 0, plain.length);
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    break;
                }
            }
        }

        HttpTiming timing() {
            return new HttpTiming(
                    transport,
                    connectMs,
                    tlsMs,
                    firstByteMs,
                    error == null ? totalMs : null,
                    mptcpUsed,
                    status,
                    bytes,
                    error);
        }
    }

    /** A buffer of {@code more} bytes more, holding what {@code b} holds (in write mode). */
    private static ByteBuffer grow(ByteBuffer b, int more) {
        ByteBuffer bigger = ByteBuffer.allocate(b.capacity() + more);
        b.flip();
        return bigger.put(b);
    }

    private static double since(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1000.0) / 1000.0;
    }

    private static int indexOf(byte[] data, int length, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
