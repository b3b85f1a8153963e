package org.mpcensus.probe.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A real Linux MPTCP v1 connection with a joined subflow (see {@code captures/kernel/
 * PROVENANCE.md}): the connection and the subflow are told apart, and the subflow's MP_JOIN token
 * is the connection's server token.
 */
class KernelSubflowsTest {
    @Test
    void theJoinedSubflowCarriesItsConnectionsToken() throws Exception {
        List<FlowRecord> flows =
                FlowTableTest.flows(
                        Path.of("src/test/resources/captures/kernel/mptcp-subflows.pcap"),
                        60_000_000L);
        assertThat(flows).hasSize(2);
        FlowRecord connection = flows.stream().filter(FlowRecord::mptcp).findFirst().orElseThrow();
        FlowRecord subflow = flows.stream().filter(FlowRecord::subflow).findFirst().orElseThrow();
        assertThat(connection.mptcpVersion()).isEqualTo(1);
        assertThat(connection.client()).isEqualTo("198.18.100.1");
        assertThat(connection.serverPort()).isEqualTo(8080);
        assertThat(connection.serverToken()).isEqualTo(0x8a27c933L);
        assertThat(subflow.client()).isEqualTo("198.18.101.1");
        assertThat(subflow.joinToken()).isEqualTo(connection.serverToken());
        assertThat(subflow.mptcp()).isFalse();
        assertThat(connection.bytesUp() + subflow.bytesUp()).isGreaterThan(160_000);
    }
}
