package org.mpcensus.probe.source.split;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One shard of a scan: the walk positions {@code shard, shard + shards, ...} of the scan's
 * permutation, the steps already taken, and the scan secret that validates replies. Immutable; the
 * reader tracks progress in a {@link ProbeSplitState}.
 *
 * @param scanId the scan
 * @param shard this shard
 * @param shards shards in the scan
 * @param steps permutation steps already sent
 * @param secret0 first half of the scan secret
 * @param secret1 second half
 * @param seed the permutation seed of the scan
 */
public record ProbeSplit(
        String scanId, int shard, int shards, long steps, long secret0, long secret1, long seed)
        implements SourceSplit {

    /** The seed of splits written before seeds were recorded: the plan's seed applies. */
    public static final long PLAN_SEED = Long.MIN_VALUE;

    @Override
    public String splitId() {
        return scanId + "#" + shard;
    }

    public ProbeSplit withSteps(long newSteps) {
        return new ProbeSplit(scanId, shard, shards, newSteps, secret0, secret1, seed);
    }
}
