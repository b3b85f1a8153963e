package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mpcensus.probe.wire.PcapWire;

/**
 * Opens the prober's wire in a JVM that runs without CAP_NET_RAW (dropped from the bounding set
 * with setpriv) and checks that the error names the missing capability. Needs root.
 */
@Tag("netns")
class CapabilityErrorITCase {

    /** Entry point of the child JVM: tries to open the loopback interface. */
    public static void main(String[] args) {
        try {
            PcapWire.open("lo", "tcp", 1 << 20).close();
            System.out.println("opened");
        } catch (IOException e) {
            System.out.println("error: " + e.getMessage());
        }
    }

    @Test
    void withoutCapNetRawTheErrorNamesTheCapability() throws Exception {
        Process p =
                new ProcessBuilder(
                                List.of(
                                        "setpriv",
                                        "--reuid=65534",
                                        "--regid=65534",
                                        "--clear-groups",
                                        "--inh-caps=-all",
                                        "--bounding-set=-all",
                                        System.getProperty("java.home") + "/bin/java",
                                        "-cp",
                                        System.getProperty("java.class.path"),
                                        CapabilityErrorITCase.class.getName()))
                        .redirectErrorStream(true)
                        .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).contains("error: ").contains("CAP_NET_RAW").doesNotContain("opened");
    }
}
