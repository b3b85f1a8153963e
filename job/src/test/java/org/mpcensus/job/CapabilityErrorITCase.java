package org.mpcensus.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code mpcensus probe} from the built jar without CAP_NET_RAW (dropped from the bounding set
 * with setpriv) and checks that it stops before probing with an error naming the capability. Needs
 * root to drop the capability.
 */
@Tag("netns")
class CapabilityErrorITCase {

    @Test
    void withoutCapNetRawTheProberRefusesAndNamesTheCapability() throws Exception {
        Path jar = Path.of("target/mpcensus.jar").toAbsolutePath();
        assertThat(jar).exists();
        Path blocklist = Files.createTempFile("mpcensus-blocklist", ".txt");
        try {
            Process p =
                    new ProcessBuilder(
                                    List.of(
                                            "setpriv",
                                            "--inh-caps=-net_raw",
                                            "--bounding-set=-net_raw",
                                            System.getProperty("java.home") + "/bin/java",
                                            "-jar",
                                            jar.toString(),
                                            "probe",
                                            "--interface",
                                            "lo",
                                            "--source-ip",
                                            "127.0.0.1",
                                            "--targets",
                                            "198.18.1.0/30",
                                            "--rate",
                                            "1",
                                            "--blocklist",
                                            blocklist.toString(),
                                            "--sink",
                                            "duckdb:" + blocklist + ".duckdb"))
                            .redirectErrorStream(true)
                            .start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(out).isEqualTo(2);
            assertThat(out).contains("CAP_NET_RAW").contains("cannot capture on lo");
        } finally {
            Files.deleteIfExists(blocklist);
        }
    }
}
