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
}
