package org.mpcensus.probe.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.mpcensus.probe.target.Blocklist;
import org.mpcensus.probe.target.OptOutList;

/**
 * Whatever a server answers (random bytes, or a real response cut and with bytes changed), a GET
 * ends with its bytes counted and a status, or with a named error; never with an exception, and
 * never reading more than the bound. A server of this test on the loopback interface answers.
 */
class HttpResponseFuzzTest {
    static final int MAX_BYTES = 4096;

    static final AtomicReference<byte[]> NEXT = new AtomicReference<>(new byte[0]);

    static final int PORT = start();

    static final HttpTimer TIMER = timer();

    static final String RESPONSE =
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 200\r\n"
                    + "Connection: close\r\n\r\n"
                    + "x".repeat(200);

    private static int start() {
        try {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t =
                    new Thread(
                            () -> {
                                while (true) {
                                    try (Socket s = server.accept()) {
                                        InputStream in = s.getInputStream();
                                        byte[] buffer = new byte[4096];
                                        int got = 0;
                                        while (got < 4
                                                || !new String(
                                                                buffer,
                                                                0,
                                                                got,
                                                                StandardCharsets.ISO_8859_1)
                                                        .contains("\r\n\r\n")) {
                                            int n = in.read(buffer, got, buffer.length - got);
                                            if (n < 0) {
                                                break;
                                            }
                                            got += n;
                                        }
                                        s.getOutputStream().write(NEXT.get());
                                    } catch (IOException e) {
                                        // the client went away early: fine
                                    }
                                }
                            });
            t.setDaemon(true);
            t.start();
            return server.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpTimer timer() {
        try {
            Path list = Files.createTempFile("blocklist", ".txt");
            Files.writeString(list, "192.0.2.0/24\n");
            return new HttpTimer(
                    new HttpTimer.Settings(3000, MAX_BYTES, Set.of(443), "/", "fuzz"),
                    new OptOutList(Blocklist.of(List.of(list), List.of()), null));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Provide
    Arbitrary<byte[]> mutatedResponses() {
        byte[] real = RESPONSE.getBytes(StandardCharsets.US_ASCII);
        return Combinators.combine(
                        Arbitraries.integers().between(0, real.length),
                        Arbitraries.integers().between(0, real.length - 1).list().ofMaxSize(6),
                        Arbitraries.bytes().list().ofMinSize(6).ofMaxSize(6))
                .as(
                        (cut, at, values) -> {
                            byte[] b = java.util.Arrays.copyOf(real, cut);
                            for (int i = 0; i < at.size(); i++) {
                                if (at.get(i) < b.length) {
                                    b[at.get(i)] = values.get(i);
                                }
                            }
                            return b;
                        });
    }

    @Provide
    Arbitrary<byte[]> anyBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(3 * MAX_BYTES);
    }

    private static void check(byte[] answer) {
        NEXT.set(answer);
        HttpTiming g = TIMER.get("127.0.0.1", PORT, false);
        assertThat(g.bytes()).isBetween(0L, (long) Math.min(answer.length, MAX_BYTES));
        if (g.error() == null) {
            assertThat(g.status()).isNotNull();
            assertThat(g.totalMs()).isNotNull();
        } else {
            assertThat(g.error()).as(g.toString()).matches("[A-Z_]+");
            assertThat(g.totalMs()).isNull();
        }
    }

    @Property(tries = 300)
    void aCutOrChangedResponseEndsInAStatusOrANamedError(
            @ForAll("mutatedResponses") byte[] answer) {
        check(answer);
    }

    @Property(tries = 200)
    void anyBytesEndInAStatusOrANamedError(@ForAll("anyBytes") byte[] answer) {
        check(answer);
    }
}
