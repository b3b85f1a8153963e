package org.mpcensus.udf.classify;

import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.mpcensus.probe.event.CaptureTime;
import org.mpcensus.probe.event.CensusInput;
import org.mpcensus.probe.event.DeadLetter;
import org.mpcensus.probe.event.ProbeReply;
import org.mpcensus.probe.packet.MpCapable;

/**
 * Classifies replies and routes dead letters: bad input from the source, and replies whose options
 * are MALFORMED (those are also counted as replies), go to {@link #DEAD_LETTERS}. Counts replies
 * per classification and dead letters in metrics ({@code mpcensus.replies.<CLASS>}, {@code
 * mpcensus.deadLetters}).
 */
public class ClassifyFunction extends ProcessFunction<CensusInput, ClassifiedReply> {

    /** Side output of input that could not be used as it is. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private transient Map<Classification, Counter> replies;
    private transient Counter deadLetters;

    @Override
    public void open(OpenContext openContext) {
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("mpcensus");
        replies = new EnumMap<>(Classification.class);
        MetricGroup perClass = group.addGroup("replies");
        for (Classification c : Classification.values()) {
            replies.put(c, perClass.counter(c.name()));
        }
        deadLetters = group.counter("deadLetters");
    }

    @Override
    public void processElement(CensusInput in, Context ctx, Collector<ClassifiedReply> out) {
        if (in.deadLetter() != null) {
            deadLetters.inc();
            ctx.output(DEAD_LETTERS, in.deadLetter());
            return;
        }
        ProbeReply r = in.reply();
        ClassifiedReply c = classify(r);
        replies.get(c.classification()).inc();
        if (c.classification() == Classification.MALFORMED) {
            deadLetters.inc();
            ctx.output(
                    DEAD_LETTERS,
                    new DeadLetter(
                            r.scanId(),
                            r.probe().target()
                                    + " port "
                                    + r.probe().port()
                                    + " at "
                                    + CaptureTime.format(r.captureTimeMicros()),
                            "malformed reply options: " + r.reply().decodeError(),
                            r.reply().options(),
                            r.captureTimeMicros()));
        }
        out.collect(c);
    }

    /** The classified form of a reply, with ASN 0 (unknown) until enrichment. */
    public static ClassifiedReply classify(ProbeReply r) {
        Classification classification = ReplyClassifier.classify(r);
        MpCapable mp = r.reply().mpCapable();
        return new ClassifiedReply(
                r.captureTimeMicros(),
                CaptureTime.month(r.captureTimeMicros()),
                r.probe().ipVersion(),
                r.probe().target(),
                r.probe().port(),
                r.probe().mptcpVersion(),
                r.reply().type(),
                classification,
                mp == null ? -1 : mp.version(),
                mp == null ? null : mp.senderKeyHex(),
                ReplyClassifier.keyWeight(r),
                0,
                null,
                r.vantage(),
                r.scanId());
    }
}
