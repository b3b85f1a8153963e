package org.mpcensus.probe.path;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SortedMap;
import org.mpcensus.probe.packet.MpCapable;

/**
 * Turns what the hops and the target said about one host's path probes into a {@link PathResult}:
 *
 * <ol>
 *   <li>The first hop whose whole-header quote shows an MPTCP change ({@link QuoteDiff#aboutMptcp})
 *       makes the host {@link PathCategory#MIDDLEBOX_AFFECTED} there.
 *   <li>Otherwise, no answer from the target, or a destination unreachable, makes it {@link
 *       PathCategory#UNREACHABLE}.
 *   <li>A target that answers with MP_CAPABLE is {@link PathCategory#TRULY_CAPABLE}, unless its v0
 *       key is the probe's own: then something mirrored the option ({@link QuoteDiff#MIRRORED} at
 *       the target's hop).
 *   <li>A target that answers without MP_CAPABLE is middlebox-affected at an unknown place when the
 *       last hop before it that answered quoted only 8 bytes (it may have stripped the option
 *       unseen: {@link QuoteDiff#UNKNOWN}), and {@link PathCategory#NOT_MPTCP} otherwise.
 * </ol>
 */
public final class PathVerdict {
    private PathVerdict() {}

    /** The target's answer, for the verdict. */
    public record Answer(int ttl, boolean synAck, MpCapable mpCapable) {}

    /**
     * @param hops what each hop that answered said, by TTL
     * @param answer the target's first answer, or null
     * @param probeKey the v0 key our probes carry
     */
    public static PathResult of(
            String host,
            int port,
            int version,
            SortedMap<Integer, PathHop> hops,
            Answer answer,
            long probeKey,
            long startedMicros,
            long endedMicros) {
        int last = answer != null ? answer.ttl() : hops.isEmpty() ? 0 : hops.lastKey();
        StringBuilder lengths = new StringBuilder();
        List<String> other = new ArrayList<>();
        PathHop affected = null;
        List<String> affectedBy = null;
        PathHop unreachable = null;
        int answered = 0;
        PathHop lastBeforeTarget = null;
        for (int ttl = 1; ttl <= last; ttl++) {
            PathHop h = hops.get(ttl);
            if (answer != null && ttl == answer.ttl()) {
                break;
            }
            if (lengths.length() > 0) {
                lengths.append(',');
            }
            if (h == null) {
                lengths.append('*');
                continue;
            }
            lengths.append(h.quoteLength());
            answered++;
            lastBeforeTarget = h;
            if (h.unreachable() && unreachable == null) {
                unreachable = h;
            }
            if (h.full()) {
                List<String> mptcp =
                        h.modifications().stream().filter(QuoteDiff::aboutMptcp).toList();
                if (!mptcp.isEmpty() && affected == null) {
                    affected = h;
                    affectedBy = mptcp;
                }
                h.modifications().stream()
                        .filter(m -> !QuoteDiff.aboutMptcp(m))
                        .forEach(m -> other.add(m + " at hop " + h.ttl()));
            }
        }
        String others = other.isEmpty() ? null : String.join(", ", new LinkedHashSet<>(other));
        PathCategory category;
        int hop = 0;
        String hopAddress = null;
        String modification = null;
        if (affected != null) {
            category = PathCategory.MIDDLEBOX_AFFECTED;
            hop = affected.ttl();
            hopAddress = affected.router();
            modification = String.join(", ", affectedBy);
        } else if (answer == null || unreachable != null) {
            category = PathCategory.UNREACHABLE;
        } else {
            MpCapable mp = answer.synAck() ? answer.mpCapable() : null;
            if (mp != null && (mp.senderKey() == null || mp.senderKey() == probeKey)) {
                category = PathCategory.MIDDLEBOX_AFFECTED;
                hop = answer.ttl();
                hopAddress = host;
                modification = QuoteDiff.MIRRORED;
            } else if (mp != null) {
                category = PathCategory.TRULY_CAPABLE;
            } else if (lastBeforeTarget != null && !lastBeforeTarget.full()) {
                category = PathCategory.MIDDLEBOX_AFFECTED;
                hop = lastBeforeTarget.ttl();
                hopAddress = lastBeforeTarget.router();
                modification = QuoteDiff.UNKNOWN;
            } else {
                category = PathCategory.NOT_MPTCP;
            }
        }
        return new PathResult(
                host,
                port,
                version,
                category,
                hop,
                hopAddress,
                modification,
                others,
                answered,
                answer == null ? 0 : answer.ttl(),
                answerText(answer, unreachable),
                lengths.toString(),
                startedMicros,
                endedMicros);
    }

    private static TargetAnswer answerText(Answer answer, PathHop unreachable) {
        if (unreachable != null) {
            return unreachable.prohibited() ? TargetAnswer.PROHIBITED : TargetAnswer.UNREACHABLE;
        }
        if (answer == null) {
            return TargetAnswer.NONE;
        }
        if (!answer.synAck()) {
            return TargetAnswer.RST;
        }
        return answer.mpCapable() == null ? TargetAnswer.SYN_ACK : TargetAnswer.SYN_ACK_MP_CAPABLE;
    }
}
