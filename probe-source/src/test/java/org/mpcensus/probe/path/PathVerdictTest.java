package org.mpcensus.probe.path;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.mpcensus.probe.packet.IpAddress;
import org.mpcensus.probe.packet.MpCapable;
import org.mpcensus.probe.packet.PacketDecoder;
import org.mpcensus.probe.packet.SynProbe;
import org.mpcensus.probe.packet.TcpSegment;

/** Quote diffs in tracebox's words, and the verdicts they lead to. */
class PathVerdictTest {
    static final long KEY = SynProbe.ZMAP_FORK_V0_KEY;
    static final byte[] US = IpAddress.parse("198.18.0.1");
    static final byte[] TARGET = IpAddress.parse("198.18.10.1");

    /** Our v0 or v1 probe, decoded, with its options replaced when {@code options} is given. */
    static TcpSegment probe(int version, byte[] options) {
        byte[] ip = SynProbe.encode(US, TARGET, 3, 40000, 80, 1, version, KEY);
        if (options != null) {
            ip =
                    org.mpcensus.probe.packet.TcpEncoder.encode(
                            US, TARGET, 3, 40000, 80, 1, 0, TcpSegment.SYN, 65535, options);
        }
        return PacketDecoder.decodeIp(ip).segment();
    }

    static byte[] sent(int version) {
        return SynProbe.options(version, MpCapable.PROBE_FLAGS, KEY);
    }

    @Test
    void anUnchangedQuoteHasNoModification() {
        for (int v = 0; v <= 1; v++) {
            assertThat(QuoteDiff.diff(sent(v), SynProbe.DEFAULT_WINDOW, probe(v, null))).isEmpty();
        }
    }

    @Test
    void strippedRewrittenAndAddedOptionsAreNamed() {
        byte[] mssOnly = {2, 4, 5, (byte) 0xb4};
        assertThat(QuoteDiff.diff(sent(1), SynProbe.DEFAULT_WINDOW, probe(1, mssOnly)))
                .containsExactly(QuoteDiff.MP_CAPABLE_REMOVED);
        byte[] rekeyed = SynProbe.options(0, MpCapable.PROBE_FLAGS, 0x1111222233334444L);
        assertThat(QuoteDiff.diff(sent(0), SynProbe.DEFAULT_WINDOW, probe(0, rekeyed)))
                .containsExactly(QuoteDiff.MP_CAPABLE_KEY);
        byte[] v1AsV0 = SynProbe.options(0, MpCapable.PROBE_FLAGS, KEY);
        assertThat(QuoteDiff.diff(sent(1), SynProbe.DEFAULT_WINDOW, probe(1, v1AsV0)))
                .contains(QuoteDiff.MP_CAPABLE_VERSION);
        byte[] lowerMss = SynProbe.options(1, MpCapable.PROBE_FLAGS, KEY);
        lowerMss[3] = 0x20;
        assertThat(QuoteDiff.diff(sent(1), SynProbe.DEFAULT_WINDOW, probe(1, lowerMss)))
                .containsExactly(QuoteDiff.MSS_CHANGED);
        byte[] withTimestamps = new byte[sent(1).length + 10];
        System.arraycopy(sent(1), 0, withTimestamps, 0, sent(1).length);
        withTimestamps[sent(1).length] = 8;
        withTimestamps[sent(1).length + 1] = 10;
        assertThat(QuoteDiff.diff(sent(1), SynProbe.DEFAULT_WINDOW, probe(1, withTimestamps)))
                .containsExactly("TS added");
        assertThat(QuoteDiff.aboutMptcp(QuoteDiff.MP_CAPABLE_KEY)).isTrue();
        assertThat(QuoteDiff.aboutMptcp(QuoteDiff.MSS_CHANGED)).isFalse();
    }

    static PathHop hop(int ttl, List<String> modifications) {
        return new PathHop(
                ttl,
                "198.18.0." + (10 + ttl),
                modifications == null ? 28 : 56,
                modifications,
                false,
                false);
    }

    static PathResult verdict(TreeMap<Integer, PathHop> hops, PathVerdict.Answer answer) {
        return PathVerdict.of("198.18.10.1", 80, 0, hops, answer, KEY, 1, 2);
    }

    static MpCapable own() {
        return MpCapable.parse(MpCapable.synOption(0, 0x81, 0x5a5a5a5a5a5a5a5aL));
    }

    @Test
    void theFirstHopThatShowsAnMptcpChangeIsTheModifyingHop() {
        TreeMap<Integer, PathHop> hops = new TreeMap<>();
        hops.put(1, hop(1, List.of()));
        hops.put(2, hop(2, List.of(QuoteDiff.MSS_CHANGED)));
        hops.put(3, hop(3, List.of(QuoteDiff.MSS_CHANGED, QuoteDiff.MP_CAPABLE_KEY)));
        hops.put(4, hop(4, List.of(QuoteDiff.MSS_CHANGED, QuoteDiff.MP_CAPABLE_KEY)));
        PathResult r = verdict(hops, new PathVerdict.Answer(5, true, own()));
        assertThat(r.category()).isEqualTo(PathCategory.MIDDLEBOX_AFFECTED);
        assertThat(r.modifyingHop()).isEqualTo(3);
        assertThat(r.hopAddress()).isEqualTo("198.18.0.13");
        assertThat(r.modification()).isEqualTo(QuoteDiff.MP_CAPABLE_KEY);
        assertThat(r.otherModifications()).contains("MSS changed at hop 2");
        assertThat(r.hopsAnswered()).isEqualTo(4);
        assertThat(r.targetHop()).isEqualTo(5);
        assertThat(r.quoteLengths()).isEqualTo("56,56,56,56");
    }

    @Test
    void aCleanPathToAnAnsweringHostIsTrulyCapableAndSilentHopsAreStars() {
        TreeMap<Integer, PathHop> hops = new TreeMap<>();
        hops.put(1, hop(1, List.of()));
        hops.put(3, hop(3, List.of()));
        PathResult r = verdict(hops, new PathVerdict.Answer(4, true, own()));
        assertThat(r.category()).isEqualTo(PathCategory.TRULY_CAPABLE);
        assertThat(r.modifyingHop()).isZero();
        assertThat(r.quoteLengths()).isEqualTo("56,*,56");
        assertThat(r.answer()).isEqualTo(TargetAnswer.SYN_ACK_MP_CAPABLE);
    }

    @Test
    void ourOwnKeyOrNoKeyInTheAnswerIsAMirrorAtTheTarget() {
        MpCapable ours = MpCapable.parse(MpCapable.synOption(0, 0x81, KEY));
        PathResult r = verdict(new TreeMap<>(), new PathVerdict.Answer(2, true, ours));
        assertThat(r.category()).isEqualTo(PathCategory.MIDDLEBOX_AFFECTED);
        assertThat(r.modification()).isEqualTo(QuoteDiff.MIRRORED);
        assertThat(r.modifyingHop()).isEqualTo(2);
        MpCapable keyless = MpCapable.parse(MpCapable.synOption(1, 0x81, 0));
        assertThat(
                        verdict(new TreeMap<>(), new PathVerdict.Answer(2, true, keyless))
                                .modification())
                .isEqualTo(QuoteDiff.MIRRORED);
    }

    @Test
    void withoutMpCapableTheLastBlindHopIsSuspectedElseTheHostDoesNotSpeakMptcp() {
        TreeMap<Integer, PathHop> hops = new TreeMap<>();
        hops.put(1, hop(1, List.of()));
        hops.put(2, hop(2, null));
        PathResult blind = verdict(hops, new PathVerdict.Answer(3, true, null));
        assertThat(blind.category()).isEqualTo(PathCategory.MIDDLEBOX_AFFECTED);
        assertThat(blind.modifyingHop()).isEqualTo(2);
        assertThat(blind.modification()).isEqualTo(QuoteDiff.UNKNOWN);
        assertThat(blind.quoteLengths()).isEqualTo("56,28");
        hops.put(2, hop(2, List.of()));
        assertThat(verdict(hops, new PathVerdict.Answer(3, true, null)).category())
                .isEqualTo(PathCategory.NOT_MPTCP);
        assertThat(verdict(hops, new PathVerdict.Answer(3, false, null)).answer())
                .isEqualTo(TargetAnswer.RST);
    }

    @Test
    void noAnswerOrAProhibitingFilterIsUnreachable() {
        TreeMap<Integer, PathHop> hops = new TreeMap<>();
        hops.put(1, hop(1, List.of()));
        assertThat(verdict(hops, null).category()).isEqualTo(PathCategory.UNREACHABLE);
        assertThat(verdict(hops, null).answer()).isEqualTo(TargetAnswer.NONE);
        hops.put(2, new PathHop(2, "198.18.0.12", 56, List.of(), true, true));
        PathResult r = verdict(hops, null);
        assertThat(r.category()).isEqualTo(PathCategory.UNREACHABLE);
        assertThat(r.answer()).isEqualTo(TargetAnswer.PROHIBITED);
    }
}
