package org.mpcensus.job.testbed;

import org.mpcensus.probe.path.PathCategory;
import org.mpcensus.probe.path.TargetAnswer;

/**
 * The expected verdict of a path verification.
 *
 * @param category the host's category
 * @param hop the modifying hop, 0 when none
 * @param modification what the hop changed, or null
 * @param answer the target's answer for unreachable hosts ({@code NONE}, {@code PROHIBITED}), or
 *     null when not checked
 */
public record PathTruth(PathCategory category, int hop, String modification, TargetAnswer answer) {
    static PathTruth capable() {
        return new PathTruth(PathCategory.TRULY_CAPABLE, 0, null, null);
    }

    static PathTruth notMptcp() {
        return new PathTruth(PathCategory.NOT_MPTCP, 0, null, null);
    }

    static PathTruth unreachable(TargetAnswer answer) {
        return new PathTruth(PathCategory.UNREACHABLE, 0, null, answer);
    }

    static PathTruth affected(int hop, String modification) {
        return new PathTruth(PathCategory.MIDDLEBOX_AFFECTED, hop, modification, null);
    }
}
