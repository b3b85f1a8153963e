package org.mpcensus.probe.source.enumerator;

import java.util.List;
import org.mpcensus.probe.source.split.ProbeSplit;

/**
 * The enumerator's checkpoint: the splits not yet handed to a reader and, for scheduled scans,
 * which scan comes next and when.
 *
 * @param unassigned splits waiting for a reader
 * @param nextScan the index of the next scan to start
 * @param nextScanAtMillis when it starts (epoch milliseconds), or -1 when no scan follows
 */
public record ProbeEnumeratorState(
        List<ProbeSplit> unassigned, int nextScan, long nextScanAtMillis) {}
