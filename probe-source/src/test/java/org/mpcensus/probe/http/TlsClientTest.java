package org.mpcensus.probe.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TLS client against a server engine of this test (the JDK's, with the self-signed key of
 * {@code test-server.p12}), in memory: BoringSSL loads on this platform, and both libraries
 * complete a TLS 1.3 handshake and carry a request and its response.
 */
class TlsClientTest {

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void eitherLibraryHandshakesAndCarriesAnExchange(boolean nativeIfAvailable) throws Exception {
        TlsClient tls = new TlsClient(nativeIfAvailable);
        assertThat(tls.library())
                .isEqualTo(nativeIfAvailable ? TlsClient.Library.BORINGSSL : TlsClient.Library.JDK);
        for (int i = 0; i < 3; i++) {
            SSLEngine client = tls.newEngine();
            SSLEngine server = server().createSSLEngine();
            server.setUseClientMode(false);
            try {
                assertThat(exchange(client, server)).isEqualTo("pong");
                assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.3");
            } finally {
                tls.release(client);
            }
        }
    }

    private static SSLContext server() throws Exception {
        char[] password = "test-only".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = TlsClientTest.class.getResourceAsStream("test-server.p12")) {
            ks.load(in, password);
        }
        KeyManagerFactory kmf =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(kmf.getKeyManagers(), null, null);
        return c;
    }

    /** Handshakes, sends "ping" to the server, answers "pong"; what the client read. */
    private static String exchange(SSLEngine client, SSLEngine server) throws Exception {
        ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
        ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
        ByteBuffer clientIn = ByteBuffer.allocate(1 << 17);
        ByteBuffer serverIn = ByteBuffer.allocate(1 << 17);
        ByteBuffer ping = ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer pong = ByteBuffer.wrap("pong".getBytes(StandardCharsets.US_ASCII));
        client.beginHandshake();
        server.beginHandshake();
        for (int step = 0; step < 100 && clientIn.position() < 4; step++) {
            client.wrap(done(client) ? ping : ByteBuffer.allocate(0), toServer);
            tasks(client);
            toServer.flip();
            server.unwrap(toServer, serverIn);
            toServer.compact();
            tasks(server);
            server.wrap(
                    done(server) && serverIn.position() >= 4 ? pong : ByteBuffer.allocate(0),
                    toClient);
            tasks(server);
            toClient.flip();
            client.unwrap(toClient, clientIn);
            toClient.compact();
            tasks(client);
        }
        clientIn.flip();
        return StandardCharsets.US_ASCII.decode(clientIn).toString();
    }

    private static boolean done(SSLEngine e) {
        SSLEngineResult.HandshakeStatus hs = e.getHandshakeStatus();
        return hs == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                || hs == SSLEngineResult.HandshakeStatus.FINISHED;
    }

    private static void tasks(SSLEngine e) {
        Runnable t;
        while ((t = e.getDelegatedTask()) != null) {
            t.run();
        }
    }
}
