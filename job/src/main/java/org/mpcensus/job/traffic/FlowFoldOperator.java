package org.mpcensus.job.traffic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.mpcensus.probe.event.CensusInput;
import org.mpcensus.probe.event.DeadLetter;
import org.mpcensus.probe.traffic.FlowFolder;
import org.mpcensus.probe.traffic.FlowKey;
import org.mpcensus.probe.traffic.PartialFlow;

/**
 * Folds the packets of the traces in the task that read them ({@link FlowFolder}): only partial
 * flows cross the network to the keyed merge ({@link FlowFunction}). Folds are sent on when their
 * flow ends, when a watermark finds them idle, before every checkpoint barrier (so a checkpoint
 * holds no packet here) and at the end of the input. The flows of which a part was sent before a
 * checkpoint are kept in union operator state, so that a restored folder, whichever traces it reads
 * after a rescale, sends their later packets as continuations. Dead letters go to {@link
 * #DEAD_LETTERS}.
 */
public final class FlowFoldOperator extends AbstractStreamOperator<PartialFlow>
        implements OneInputStreamOperator<CensusInput, PartialFlow>, BoundedOneInput {

    /** The side output of the frames that could not be decoded. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private final long idleMicros;
    private transient FlowFolder folder;
    private transient ListState<Tuple2<FlowKey, Long>> continued;

    /**
     * @param idleMicros idle time after which a flow ends
     */
    public FlowFoldOperator(long idleMicros) {
        this.idleMicros = idleMicros;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        continued =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>(
                                        "continued-flows",
                                        Types.TUPLE(
                                                TypeInformation.of(FlowKey.class), Types.LONG)));
        folder =
                new FlowFolder(
                        idleMicros,
                        p -> output.collect(new StreamRecord<>(p, p.fold().last / 1000)));
        if (context.isRestored()) {
            for (Tuple2<FlowKey, Long> c : continued.get()) {
                folder.restore(c.f0, c.f1);
            }
        }
    }

    @Override
    public void processElement(StreamRecord<CensusInput> element) {
        CensusInput in = element.getValue();
        if (in.packet() != null) {
            folder.add(in.packet());
        } else if (in.deadLetter() != null) {
            output.collect(
                    DEAD_LETTERS, new StreamRecord<>(in.deadLetter(), element.getTimestamp()));
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        folder.advance(mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        folder.flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<Tuple2<FlowKey, Long>> entries = new ArrayList<>();
        for (Map.Entry<FlowKey, Long> e : folder.continued().entrySet()) {
            entries.add(Tuple2.of(e.getKey(), e.getValue()));
        }
        continued.update(entries);
    }

    @Override
    public void endInput() {
        folder.finish();
    }
}
