package org.mpcensus.udf.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.mpcensus.probe.event.Probe;
import org.mpcensus.probe.event.ProbeReply;
import org.mpcensus.probe.event.Reply;
import org.mpcensus.probe.event.ReplyType;
import org.mpcensus.probe.packet.DecodeError;
import org.mpcensus.probe.packet.SynProbe;
import org.mpcensus.probe.packet.TcpOptionList;

class ReplyClassifierTest {
    static final long PROBE_KEY = SynProbe.ZMAP_FORK_V0_KEY;

    static ProbeReply reply(int probedVersion, ReplyType type, String optionsHex) {
        byte[] options = HexFormat.of().parseHex(optionsHex);
        TcpOptionList decoded = TcpOptionList.decode(options);
        return new ProbeReply(
                0,
                "vp",
                "scan",
                new Probe(
                        "198.51.100.1",
                        443,
                        probedVersion,
                        SynProbe.options(probedVersion, 0x81, PROBE_KEY)),
                new Reply(
                        type,
                        64,
                        1,
                        1000,
                        options,
                        decoded.mpCapable(),
                        DecodeError.join(decoded.errors())));
    }

    @Test
    void mirroredV0KeyIsNotACandidate() {
        assertThat(
                        ReplyClassifier.classify(
                                reply(0, ReplyType.SYN_ACK, "020405b41e0c00810c0c0c0c0c0c0c0c")))
                .isEqualTo(Classification.MIRRORED);
    }

    @Test
    void byteIdenticalV1EchoIsMirrored() {
        assertThat(ReplyClassifier.classify(reply(1, ReplyType.SYN_ACK, "020405b41e040181")))
                .isEqualTo(Classification.MIRRORED);
    }

    @Test
    void keylessV1ReplyWithOtherFlagsIsStillMirrored() {
        assertThat(ReplyClassifier.classify(reply(1, ReplyType.SYN_ACK, "1e040101")))
                .isEqualTo(Classification.MIRRORED);
    }

    @Test
    void realV1SynAckIsACandidate() {
        ProbeReply r = reply(1, ReplyType.SYN_ACK, "020405b41e0c0101e356a8f252e41976");
        assertThat(ReplyClassifier.classify(r)).isEqualTo(Classification.CANDIDATE);
        assertThat(ReplyClassifier.keyWeight(r)).isEqualTo(Long.bitCount(0xe356a8f252e41976L));
    }

    @Test
    void v1AnswerToV0ProbeIsWrongVersion() {
        assertThat(
                        ReplyClassifier.classify(
                                reply(0, ReplyType.SYN_ACK, "1e0c0101e356a8f252e41976")))
                .isEqualTo(Classification.WRONG_VERSION);
    }

    @Test
    void rewrittenKeyWithTheProbeKeysWeightIsSuspect() {
        // 0x0f0f0f0f00000000 has weight 16, like 0x0c0c0c0c0c0c0c0c, but is a different key
        assertThat(
                        ReplyClassifier.classify(
                                reply(0, ReplyType.SYN_ACK, "1e0c00810f0f0f0f00000000")))
                .isEqualTo(Classification.SUSPECT_KEY);
    }

    @Test
    void randomV0KeyIsACandidate() {
        assertThat(
                        ReplyClassifier.classify(
                                reply(0, ReplyType.SYN_ACK, "1e0c0081d005b1ab34bad344")))
                .isEqualTo(Classification.CANDIDATE);
    }

    @Test
    void plainSynAckAndRstAreNotMptcp() {
        assertThat(ReplyClassifier.classify(reply(0, ReplyType.SYN_ACK, "020405b4")))
                .isEqualTo(Classification.NOT_MPTCP);
        assertThat(ReplyClassifier.classify(reply(1, ReplyType.RST, "")))
                .isEqualTo(Classification.NOT_MPTCP);
    }

    @Test
    void undecodableOptionsAreMalformed() {
        assertThat(ReplyClassifier.classify(reply(1, ReplyType.SYN_ACK, "1e0501810c")))
                .isEqualTo(Classification.MALFORMED);
        assertThat(ReplyClassifier.classify(reply(1, ReplyType.SYN_ACK, "0200")))
                .isEqualTo(Classification.MALFORMED);
    }
}
