package org.mpcensus.probe.source.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class ScanPlanTest {
    static Configuration base() {
        Configuration c = new Configuration();
        c.set(ProbeSourceOptions.INTERFACE, "eth0");
        c.set(ProbeSourceOptions.SOURCE_IPV4, "198.18.0.1");
        return c;
    }

    @Test
    void refusesToScanWithoutTargets() {
        assertThatThrownBy(() -> ScanPlan.fromConfiguration(base()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no targets");
    }

    @Test
    void refusesWithoutASourceAddress() {
        Configuration c = new Configuration();
        c.set(ProbeSourceOptions.INTERFACE, "eth0");
        c.set(ProbeSourceOptions.TARGETS, List.of("198.18.1.0/24"));
        assertThatThrownBy(() -> ScanPlan.fromConfiguration(c))
                .hasMessageContaining("source address");
    }

    @Test
    void planCarriesTheSafetySettings() throws Exception {
        Configuration c = base();
        c.set(ProbeSourceOptions.TARGETS, List.of("198.18.1.0/24"));
        c.set(ProbeSourceOptions.RATE, 500.0);
        c.set(ProbeSourceOptions.MAX_TARGETS, 100L);
        c.set(ProbeSourceOptions.SHARDS, 8);
        ScanPlan p = ScanPlan.fromConfiguration(c);
        assertThat(p.space().size()).isEqualTo(256 * 2 * 2);
        assertThat(p.pace().rate()).isEqualTo(500.0);
        assertThat(p.maxProbesPerShard()).isEqualTo(13);
        assertThat(p.safety().blocklist()).isEmpty();
        assertThat(p.pace().cooldownMillis()).isEqualTo(8000);
    }

    @Test
    void sendsInSendmmsgBatchesByDefaultAndRefusesAnUnknownSender() throws Exception {
        Configuration c = base();
        c.set(ProbeSourceOptions.TARGETS, List.of("198.18.1.0/24"));
        assertThat(ScanPlan.fromConfiguration(c).batchedSend()).isTrue();
        c.set(ProbeSourceOptions.SENDER, "pcap");
        assertThat(ScanPlan.fromConfiguration(c).batchedSend()).isFalse();
        c.set(ProbeSourceOptions.SENDER, "raw");
        assertThatThrownBy(() -> ScanPlan.fromConfiguration(c))
                .hasMessageContaining("mpcensus.probe.sender")
                .hasMessageContaining("raw");
    }
}
