package org.mpcensus.probe.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mpcensus.probe.packet.IpAddress;

class BlocklistTest {
    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "10.1.2.3",
                "127.0.0.1",
                "192.168.1.1",
                "172.31.255.255",
                "100.64.0.1",
                "169.254.9.9",
                "198.18.0.1",
                "198.19.255.255",
                "192.0.2.7",
                "224.0.0.1",
                "255.255.255.255",
                "0.1.2.3",
                "::1",
                "fe80::1",
                "2001:db8::1",
                "fc00::1",
                "ff02::1",
                "::ffff:8.8.8.8"
            })
    void specialPurposeRangesAreBlockedByDefault(String address) {
        assertThat(Blocklist.ianaSpecialPurpose().blocks(IpAddress.parse(address))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"8.8.8.8", "1.1.1.1", "198.20.0.1", "2a00:1450:4001::1", "2606:4700::1"})
    void globalUnicastIsNotBlockedByDefault(String address) {
        assertThat(Blocklist.ianaSpecialPurpose().blocks(IpAddress.parse(address))).isFalse();
    }

    @Test
    void anExplicitFileReplacesTheDefaultsAndUserFilesAdd() throws Exception {
        Path explicit =
                Files.writeString(dir.resolve("testbed.txt"), "# only these\n203.0.113.0/24\n");
        Path user =
                Files.writeString(
                        dir.resolve("user.txt"), "198.18.9.0/25 # opted out\n2001:db8:9::/48\n");
        Blocklist b = Blocklist.of(List.of(explicit), List.of(user));
        assertThat(b.blocks(IpAddress.parse("198.18.1.1"))).isFalse();
        assertThat(b.blocks(IpAddress.parse("198.18.9.127"))).isTrue();
        assertThat(b.blocks(IpAddress.parse("198.18.9.128"))).isFalse();
        assertThat(b.blocks(IpAddress.parse("203.0.113.5"))).isTrue();
        assertThat(b.blocks(IpAddress.parse("2001:db8:9::5"))).isTrue();
        assertThat(b.blocks(IpAddress.parse("2001:db8:8::5"))).isFalse();
    }

    @Test
    void optOutFileIsReloadedWithinASecond() throws Exception {
        Path optOut = Files.writeString(dir.resolve("optout.txt"), "198.18.5.0/24\n");
        Path none = Files.writeString(dir.resolve("none.txt"), "");
        OptOutList list = new OptOutList(Blocklist.of(List.of(none), List.of()), optOut);
        byte[] a = IpAddress.parse("198.18.6.1");
        assertThat(list.blocks(IpAddress.parse("198.18.5.1"))).isTrue();
        assertThat(list.blocks(a)).isFalse();
        Files.writeString(optOut, "198.18.5.0/24\n198.18.6.0/24\n");
        Files.setLastModifiedTime(optOut, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        long deadline = System.nanoTime() + 1_000_000_000L;
        boolean blocked = false;
        while (!blocked && System.nanoTime() < deadline) {
            blocked = list.blocks(a);
        }
        assertThat(blocked).as("new opt-out honoured within a second").isTrue();
    }

    @Test
    void brokenOptOutFileKeepsThePreviousEntries() throws Exception {
        Path optOut = Files.writeString(dir.resolve("optout.txt"), "198.18.5.0/24\n");
        Path none = Files.writeString(dir.resolve("none.txt"), "");
        OptOutList list = new OptOutList(Blocklist.of(List.of(none), List.of()), optOut);
        Files.writeString(optOut, "not a prefix\n");
        Files.setLastModifiedTime(optOut, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        Thread.sleep(300);
        assertThat(list.blocks(IpAddress.parse("198.18.5.1"))).isTrue();
    }
}
