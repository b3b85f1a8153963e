package org.mpcensus.probe.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcensus.probe.target.Blocklist;
import org.mpcensus.probe.target.OptOutList;

/**
 * The timing client against servers of this test on the loopback interface (real kernel sockets,
 * MPTCP and TCP, nothing leaves the machine): what it reads, where it stops, and how each way of
 * failing is named.
 */
class HttpTimerTest {
    @TempDir Path dir;

    private ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();

    /** What the test's server does with a connection. */
    interface Answer {
        void on(Socket s) throws IOException;
    }

    private int serve(Answer answer) throws IOException {
        ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server = listening;
        Thread t =
                new Thread(
                        () -> {
                            while (!listening.isClosed()) {
                                try (Socket s = listening.accept()) {
                                    accepted.incrementAndGet();
                                    answer.on(s);
                                } catch (IOException e) {
                                    // the client went away, or the test is over
                                }
                            }
                        });
        t.setDaemon(true);
        t.start();
        return listening.getLocalPort();
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private static void readRequest(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.append((char) b);
        }
    }

    private static Answer ok(int bodyBytes, int declared) {
        return s -> {
            readRequest(s);
            OutputStream out = s.getOutputStream();
            out.write(
                    ("HTTP/1.1 200 OK\r\nContent-Length: " + declared + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[bodyBytes]);
            out.flush();
        };
    }

    private HttpTimer timer(long timeoutMillis, int maxBytes, String blocked) throws IOException {
        Path list = Files.writeString(dir.resolve("blocklist.txt"), blocked + "\n");
        return new HttpTimer(
                new HttpTimer.Settings(timeoutMillis, maxBytes, Set.of(443), "/", "test"),
                new OptOutList(Blocklist.of(List.of(list), List.of()), null));
    }

    @Test
    void aWholeResponseOverEitherSocketHasItsTimesInOrderAndItsBytes() throws Exception {
        int port = serve(ok(5000, 5000));
        HttpTimer t = timer(5000, 1 << 20, "192.0.2.0/24");
        for (boolean mptcp : new boolean[] {true, false}) {
            HttpTiming g = t.get("127.0.0.1", port, mptcp);
            assertThat(g.error()).as(g.toString()).isNull();
            assertThat(g.transport()).isEqualTo(mptcp ? Transport.MPTCP : Transport.TCP);
            assertThat(g.status()).isEqualTo(200);
            assertThat(g.bytes())
                    .isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n".length() + 5000);
            assertThat(g.tlsMs()).isNull();
            assertThat(g.connectMs()).isPositive();
            assertThat(g.firstByteMs()).isGreaterThanOrEqualTo(g.connectMs());
            assertThat(g.totalMs()).isGreaterThanOrEqualTo(g.firstByteMs());
            // the test's server is a JDK socket, which speaks TCP only: the MPTCP socket falls back
            assertThat(g.mptcpUsed()).isFalse();
            assertThat(g.answered()).isTrue();
        }
        assertThat(accepted).hasValue(2);
    }

    @Test
    void readingStopsAtMaxBytesAndTheGetStillCounts() throws Exception {
        int port = serve(ok(100_000, 100_000));
        HttpTiming g = timer(5000, 1000, "192.0.2.0/24").get("127.0.0.1", port, false);
        assertThat(g.error()).isNull();
        assertThat(g.status()).isEqualTo(200);
        assertThat(g.bytes()).isEqualTo(1000);
    }

    @Test
    void aBodyShorterThanItsContentLengthIsNamed() throws Exception {
        int port = serve(ok(10, 1000));
        HttpTiming g = timer(5000, 1 << 20, "192.0.2.0/24").get("127.0.0.1", port, true);
        assertThat(g.error()).isEqualTo("SHORT_BODY");
        assertThat(g.status()).isEqualTo(200);
        assertThat(g.totalMs()).isNull();
        assertThat(g.answered()).isFalse();
    }

    @Test
    void somethingThatIsNotHttpIsABadResponseAndSilenceIsNoResponse() throws Exception {
        int port =
                serve(
                        s -> {
                            readRequest(s);
                            s.getOutputStream()
                                    .write(
                                            "SSH-2.0-OpenSSH\r\n\r\n"
                                                    .getBytes(StandardCharsets.US_ASCII));
                        });
        assertThat(timer(5000, 1 << 20, "192.0.2.0/24").get("127.0.0.1", port, false).error())
                .isEqualTo("BAD_RESPONSE");
        stop();
        int closing = serve(HttpTimerTest::readRequest);
        HttpTiming g = timer(5000, 1 << 20, "192.0.2.0/24").get("127.0.0.1", closing, false);
        assertThat(g.error()).isEqualTo("NO_RESPONSE");
        assertThat(g.connectMs()).isNotNull();
        assertThat(g.firstByteMs()).isNull();
    }

    @Test
    void aServerThatNeverAnswersTimesOutAtTheDeadline() throws Exception {
        int port =
                serve(
                        s -> {
                            readRequest(s);
                            try {
                                Thread.sleep(3000);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
        long start = System.nanoTime();
        HttpTiming g = timer(500, 1 << 20, "192.0.2.0/24").get("127.0.0.1", port, true);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(g.error()).isEqualTo("TIMEOUT");
        assertThat(millis).isBetween(400L, 2500L);
    }

    @Test
    void aClosedPortIsRefusedAndABlockedAddressIsNeverConnected() throws Exception {
        int port = serve(ok(10, 10));
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        HttpTimer t = timer(2000, 1 << 20, "127.0.0.0/8");
        assertThat(t.get("127.0.0.1", port, true).error()).isEqualTo("BLOCKED");
        assertThat(t.get("127.0.0.1", port, false).error()).isEqualTo("BLOCKED");
        assertThat(accepted).hasValue(0);
        HttpTimer open = timer(2000, 1 << 20, "192.0.2.0/24");
        assertThat(open.get("127.0.0.1", closed, false).error()).isEqualTo("ECONNREFUSED");
        assertThat(open.get("127.0.0.1", closed, true).error()).isEqualTo("ECONNREFUSED");
        assertThat(open.get("not-an-address", 80, true).error()).isEqualTo("BAD_ADDRESS");
    }
}
