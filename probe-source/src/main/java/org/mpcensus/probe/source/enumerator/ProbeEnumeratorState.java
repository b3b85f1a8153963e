package org.mpcensus.probe.source.enumerator;

import java.util.List;
import org.mpcensus.probe.source.split.ProbeSplit;

/**
 * The enumerator's checkpoint: the splits not yet handed to a reader.
 *
 * @param unassigned splits waiting for a reader
 */
public record ProbeEnumeratorState(List<ProbeSplit> unassigned) {}
