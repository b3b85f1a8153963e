package org.mpcensus.probe.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mpcensus.probe.packet.IpAddress;

class TargetSpaceTest {
    @Test
    void overlappingPrefixesCountEachAddressOnceAndEveryProbeIsDistinct() {
        TargetSpace s =
                TargetSpace.of(
                        List.of("198.18.1.0/25", "198.18.1.64/26", "198.18.3.0/30"),
                        List.of("2001:db8::1", "2001:db8::2"),
                        List.of(80, 443),
                        List.of(0, 1),
                        null);
        assertThat(s.addresses()).isEqualTo(128 + 4 + 2);
        assertThat(s.size()).isEqualTo(134 * 4);
        Set<String> probes = new HashSet<>();
        for (long i = 0; i < s.size(); i++) {
            TargetSpace.Probe p = s.probe(i);
            probes.add(IpAddress.format(p.address()) + "|" + p.port() + "|" + p.version());
        }
        assertThat(probes)
                .hasSize((int) s.size())
                .contains("198.18.3.3|443|1", "2001:db8::2|80|0", "198.18.1.127|80|1");
    }

    @Test
    void refusesIpv6PrefixesAndBadVersions() {
        assertThatThrownBy(
                        () ->
                                TargetSpace.of(
                                        List.of("2001:db8::/64"),
                                        List.of(),
                                        List.of(80),
                                        List.of(1),
                                        null))
                .hasMessageContaining("hitlist");
        assertThatThrownBy(
                        () ->
                                TargetSpace.of(
                                        List.of("198.18.0.0/24"),
                                        List.of(),
                                        List.of(80),
                                        List.of(2),
                                        null))
                .hasMessageContaining("versions");
    }

    @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;

    @Test
    void aHitlistIsReadWithCommentsAndWindowsLineEnds() throws Exception {
        java.nio.file.Path f =
                java.nio.file.Files.writeString(
                        dir.resolve("hits.txt"),
                        "# testbed\r\n198.18.1.1\r\n\r\n2001:db8::1  # v6\n198.18.1.2");
        assertThat(TargetSpace.readHitlist(f))
                .containsExactly("198.18.1.1", "2001:db8::1", "198.18.1.2");
    }

    /** Whatever the file, one short line that names it, and no hang on a FIFO. */
    @Test
    void aHitlistThatIsNoListIsOneShortLineNamingTheFile() throws Exception {
        java.nio.file.Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        java.nio.file.Path binary =
                java.nio.file.Files.write(
                        dir.resolve("binary"), new byte[] {'1', '9', (byte) 0xff, (byte) 0xfe, 0});
        java.nio.file.Path huge =
                java.nio.file.Files.writeString(dir.resolve("huge"), "9".repeat(10_000_000));
        java.nio.file.Path wrong =
                java.nio.file.Files.writeString(
                        dir.resolve("wrong"), "198.18.1.1\n" + "x".repeat(500) + "\n");
        java.util.Map<java.nio.file.Path, String> cases =
                java.util.Map.of(
                        dir.resolve("missing"),
                        ": no such file",
                        fifo,
                        "is not a regular file",
                        dir,
                        "is not a regular file",
                        binary,
                        ", line 1: not UTF-8 text",
                        huge,
                        ", line 1: longer than 1000 characters",
                        wrong,
                        ", line 2: 'xxxxxxxxxx");
        for (var c : cases.entrySet()) {
            assertThatThrownBy(() -> TargetSpace.readHitlist(c.getKey()))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining(c.getKey().toString())
                    .hasMessageContaining(c.getValue())
                    .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
        }
    }
}
