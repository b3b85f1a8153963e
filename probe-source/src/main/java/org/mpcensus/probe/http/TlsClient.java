package org.mpcensus.probe.http;

import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS client of HTTP timing: BoringSSL (through Netty's OpenSSL engine) where its native
 * library loads, so that a handshake costs the client what it costs curl through OpenSSL; else the
 * JDK's TLS, whose handshakes cost a few milliseconds more of the client's CPU. Either accepts
 * every server certificate: the census times servers, it does not authenticate them. Engines of the
 * native library hold native memory until {@link #release}d.
 */
final class TlsClient {
    /** The TLS libraries a GET's handshake can run through. */
    enum Library {
        BORINGSSL,
        JDK
    }

    private final io.netty.handler.ssl.SslContext boring;
    private final SSLContext jdk;

    TlsClient() {
        this(true);
    }

    /**
     * @param nativeIfAvailable whether BoringSSL is used where it loads (false: the JDK's TLS)
     */
    TlsClient(boolean nativeIfAvailable) {
        try {
            jdk = SSLContext.getInstance("TLS");
            jdk.init(null, new TrustManager[] {new AnyServer()}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no TLS", e);
        }
        io.netty.handler.ssl.SslContext b = null;
        if (nativeIfAvailable && io.netty.handler.ssl.OpenSsl.isAvailable()) {
            try {
                b =
                        io.netty.handler.ssl.SslContextBuilder.forClient()
                                .sslProvider(io.netty.handler.ssl.SslProvider.OPENSSL_REFCNT)
                                .trustManager(
                                        io.netty.handler.ssl.util.InsecureTrustManagerFactory
                                                .INSTANCE)
                                .build();
            } catch (SSLException | RuntimeException e) {
                b = null;
            }
        }
        boring = b;
    }

    /** The library the engines are of. */
    Library library() {
        return boring != null ? Library.BORINGSSL : Library.JDK;
    }

    /**
     * Loads and compiles the TLS client's first flight (key shares, ClientHello) before the first
     * GET, so that the first handshakes a timer makes are not slower than the rest by the JVM's
     * start-up work. BoringSSL's first flight is native code and needs none.
     */
    void warmUp() {
        if (library() == TlsClient.Library.BORINGSSL) {
            return;
        }
        for (int i = 0; i < 20; i++) {
            SSLEngine e = newEngine();
            try {
                e.wrap(
                        ByteBuffer.allocate(0),
                        ByteBuffer.allocate(e.getSession().getPacketBufferSize()));
            } catch (SSLException ignored) {
                // nothing is sent; a failure here shows in the first GET
            } finally {
                release(e);
            }
        }
    }

    /** A client engine for one connection. */
    SSLEngine newEngine() {
        SSLEngine e =
                boring != null
                        ? boring.newEngine(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT)
                        : jdk.createSSLEngine();
        e.setUseClientMode(true);
        return e;
    }

    /** Frees an engine's native memory (nothing for the JDK's). */
    void release(SSLEngine engine) {
        io.netty.util.ReferenceCountUtil.release(engine);
    }

    /** Accepts every server: the census times servers, it does not authenticate them. */
    private static final class AnyServer extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(
                X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(
                X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
