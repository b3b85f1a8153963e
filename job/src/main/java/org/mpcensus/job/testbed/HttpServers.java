package org.mpcensus.job.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The testbed's HTTP (port 80) and HTTPS (443) servers: Python's, from {@code http-server.py}
 * beside this class, with a self-signed certificate made with {@code openssl}.
 */
final class HttpServers {
    /** The body of every testbed HTTP(S) answer, in bytes. */
    static final int BODY_BYTES = 17 * 600;

    private final Path workDir;
    private final TestbedProcesses processes;

    HttpServers(Path workDir, TestbedProcesses processes) {
        this.workDir = workDir;
        this.processes = processes;
    }

    /** Writes the server program and makes the certificate and key. */
    void prepare() throws IOException {
        try (InputStream in = HttpServers.class.getResourceAsStream("http-server.py")) {
            if (in == null) {
                throw new IOException("http-server.py is not on the class path");
            }
            Files.write(script(), in.readAllBytes());
        }
        Shell.sh(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-subj",
                "/CN=mpcensus testbed",
                "-days",
                "7",
                "-keyout",
                workDir.resolve("key.pem").toString(),
                "-out",
                workDir.resolve("cert.pem").toString());
    }

    /**
     * Starts the servers on every address of a namespace, IPv4 and IPv6, over sockets of a protocol
     * (262 MPTCP, 6 TCP). Each answers a GET with 200 and {@link #BODY_BYTES} bytes, then closes.
     */
    void listen(String namespace, String protocol) throws IOException {
        processes.start(
                namespace,
                List.of(
                        "python3",
                        script().toString(),
                        protocol,
                        workDir.resolve("cert.pem").toString(),
                        workDir.resolve("key.pem").toString(),
                        String.valueOf(BODY_BYTES)));
    }

    private Path script() {
        return workDir.resolve("http-server.py");
    }
}
