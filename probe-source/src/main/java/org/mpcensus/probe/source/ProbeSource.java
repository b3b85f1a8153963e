package org.mpcensus.probe.source;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.mpcensus.probe.event.ProbeReply;
import org.mpcensus.probe.source.enumerator.ProbeEnumeratorState;
import org.mpcensus.probe.source.enumerator.ProbeEnumeratorStateSerializer;
import org.mpcensus.probe.source.enumerator.ProbeSplitEnumerator;
import org.mpcensus.probe.source.plan.ScanPlan;
import org.mpcensus.probe.source.reader.ProbeSourceReader;
import org.mpcensus.probe.source.split.ProbeSplit;
import org.mpcensus.probe.source.split.ProbeSplitSerializer;

/**
 * The live prober as a FLIP-27 source: a scan cut into shards ({@link ProbeSplit}s) that readers
 * probe with raw SYNs carrying MP_CAPABLE, emitting one {@link ProbeReply} per valid reply.
 * Bounded: the scan ends when every shard is sent and cooled down; with a schedule, a new scan
 * starts every period (unbounded unless a number of scans is set). Only wires parts together.
 */
public final class ProbeSource
        implements Source<ProbeReply, ProbeSplit, ProbeEnumeratorState>,
                ResultTypeQueryable<ProbeReply> {
    private final ScanPlan plan;

    ProbeSource(ScanPlan plan) {
        this.plan = plan;
    }

    /** A source for a resolved scan plan. */
    public static ProbeSource of(ScanPlan plan) {
        return new ProbeSource(plan);
    }

    public ScanPlan plan() {
        return plan;
    }

    @Override
    public Boundedness getBoundedness() {
        return plan.scheduled() && plan.schedule().scans() < 0
                ? Boundedness.CONTINUOUS_UNBOUNDED
                : Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<ProbeReply, ProbeSplit> createReader(SourceReaderContext context) {
        return new ProbeSourceReader(context, plan);
    }

    @Override
    public SplitEnumerator<ProbeSplit, ProbeEnumeratorState> createEnumerator(
            SplitEnumeratorContext<ProbeSplit> context) {
        return ProbeSplitEnumerator.fresh(context, plan);
    }

    @Override
    public SplitEnumerator<ProbeSplit, ProbeEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<ProbeSplit> context, ProbeEnumeratorState state) {
        return new ProbeSplitEnumerator(context, plan, state);
    }

    @Override
    public SimpleVersionedSerializer<ProbeSplit> getSplitSerializer() {
        return ProbeSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<ProbeEnumeratorState> getEnumeratorCheckpointSerializer() {
        return new ProbeEnumeratorStateSerializer();
    }

    @Override
    public TypeInformation<ProbeReply> getProducedType() {
        return TypeInformation.of(ProbeReply.class);
    }
}
