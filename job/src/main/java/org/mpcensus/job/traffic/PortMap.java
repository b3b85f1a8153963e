package org.mpcensus.job.traffic;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The application of a TCP server port, from {@code mpcensus/traffic/ports.csv} (IANA's well-known
 * ports and Apple's published service ports, with their sources in the file); other ports are
 * {@code other}.
 */
public final class PortMap implements Serializable {
    public static final String OTHER = "other";
    private static final String RESOURCE = "/mpcensus/traffic/ports.csv";

    private final Map<Integer, String> apps;

    private PortMap(Map<Integer, String> apps) {
        this.apps = apps;
    }

    /** The shipped map. */
    public static PortMap shipped() {
        try (InputStream in = PortMap.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            Map<Integer, String> apps = new HashMap<>();
            BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(",");
                apps.put(Integer.parseInt(f[0].strip()), f[1].strip());
            }
            return new PortMap(apps);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The application of a server port. */
    public String app(int port) {
        return apps.getOrDefault(port, OTHER);
    }
}
