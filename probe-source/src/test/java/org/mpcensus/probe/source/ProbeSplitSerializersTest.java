package org.mpcensus.probe.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpcensus.probe.source.enumerator.ProbeEnumeratorState;
import org.mpcensus.probe.source.enumerator.ProbeEnumeratorStateSerializer;
import org.mpcensus.probe.source.split.ProbeSplit;
import org.mpcensus.probe.source.split.ProbeSplitSerializer;
import org.mpcensus.probe.source.split.ProbeSplitState;

class ProbeSplitSerializersTest {

    @Test
    void splitsAndEnumeratorStateRoundTrip() throws Exception {
        ProbeSplit a = new ProbeSplit("scan-1", 3, 16, 123_456_789L, -5L, 42L, 77L);
        ProbeSplit b = new ProbeSplit("scan-1", 4, 16, 0, -5L, 42L, 77L);
        ProbeSplitSerializer s = ProbeSplitSerializer.INSTANCE;
        assertThat(s.deserialize(s.getVersion(), s.serialize(a))).isEqualTo(a);
        ProbeEnumeratorStateSerializer e = new ProbeEnumeratorStateSerializer();
        ProbeEnumeratorState state = new ProbeEnumeratorState(List.of(a, b), 1, -1);
        assertThat(e.deserialize(e.getVersion(), e.serialize(state))).isEqualTo(state);
        assertThatThrownBy(() -> s.deserialize(99, s.serialize(a)))
                .hasMessageContaining("version 99");
    }

    @Test
    void version1SplitsAndStatesStayReadable() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        out.writeUTF("old-scan");
        out.writeInt(2);
        out.writeInt(8);
        out.writeLong(99);
        out.writeLong(1);
        out.writeLong(2);
        out.flush();
        ProbeSplit old = ProbeSplitSerializer.INSTANCE.deserialize(1, bytes.toByteArray());
        assertThat(old).isEqualTo(new ProbeSplit("old-scan", 2, 8, 99, 1, 2, ProbeSplit.PLAN_SEED));

        java.io.ByteArrayOutputStream state = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream s = new java.io.DataOutputStream(state);
        s.writeInt(1);
        s.writeInt(1);
        s.write(bytes.toByteArray());
        s.flush();
        ProbeEnumeratorState restored =
                new ProbeEnumeratorStateSerializer().deserialize(1, state.toByteArray());
        assertThat(restored.unassigned()).containsExactly(old);
        assertThat(restored.nextScanAtMillis()).isEqualTo(-1);
    }

    @Test
    void checkpointedPositionLagsBySentProbesWithinTheReplyWindow() {
        ProbeSplit split = new ProbeSplit("scan", 0, 1, 100, 1, 2, 3);
        long window = 1_000_000_000L;
        ProbeSplitState state = new ProbeSplitState(split, window);
        long t0 = 1_000_000_000_000L;
        state.setSteps(200, t0);
        state.setSteps(300, t0 + 500_000_000L);
        // within the window nothing sent is settled yet
        assertThat(state.toSplit(t0 + 600_000_000L).steps()).isEqualTo(100);
        assertThat(state.toSplit(t0 + window).steps()).isEqualTo(200);
        assertThat(state.toSplit(t0 + 500_000_000L + window).steps()).isEqualTo(300);
        // once sending is done and the window passed, everything is settled
        state.setSteps(310, t0 + 505_000_000L);
        state.markSendingDone(t0 + 506_000_000L);
        assertThat(state.toSplit(t0 + 506_000_000L + window).steps()).isEqualTo(310);
    }
}
