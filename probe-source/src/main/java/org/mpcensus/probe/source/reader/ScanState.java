package org.mpcensus.probe.source.reader;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.mpcensus.probe.source.plan.ScanPlan;
import org.mpcensus.probe.source.split.ProbeSplit;
import org.mpcensus.probe.target.CyclicPermutation;
import org.mpcensus.probe.wire.ProbeValidator;

/**
 * What a reader needs per scan: the permutation, and validators with the scan's secret (one for the
 * sending thread, one for the capturing thread: validators are not thread-safe), and the replies
 * already taken.
 */
record ScanState(
        String scanId,
        CyclicPermutation permutation,
        ProbeValidator sending,
        ProbeValidator capturing,
        Set<String> answered) {

    /** The state of a split's scan, for a reader sending from ports {@code firstPort ..}. */
    static ScanState of(ProbeSplit s, ScanPlan plan, int firstPort, int portSlice) {
        long seed = s.seed() == ProbeSplit.PLAN_SEED ? plan.seed() : s.seed();
        return new ScanState(
                s.scanId(),
                CyclicPermutation.of(plan.space().size(), seed),
                new ProbeValidator(s.secret0(), s.secret1(), firstPort, portSlice),
                new ProbeValidator(s.secret0(), s.secret1(), firstPort, portSlice),
                ConcurrentHashMap.newKeySet());
    }
}
