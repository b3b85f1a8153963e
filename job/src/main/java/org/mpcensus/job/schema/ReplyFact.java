package org.mpcensus.job.schema;

import java.util.SplittableRandom;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.mpcensus.udf.classify.ClassifiedReply;

/**
 * One reply of the MPTCP path as the census keeps it between runs ({@link CensusTables#REPLIES}):
 * classified and enriched as the run that read it saw it. Together with the {@link PlainFact}s they
 * are the census's memory: every other census table follows from them.
 *
 * @param runId the run that read the reply
 * @param id the reply's number, unique among the replies of its host, port and probed version in a
 *     month (two equal replies are two rows)
 * @param reply the reply
 */
public record ReplyFact(String runId, long id, ClassifiedReply reply) {

    /**
     * Numbers the replies of a run: a random start per parallel instance (and per restart of one),
     * then one by one. Rows of an attempt that failed before its checkpoint never reach a table, so
     * numbers need to be unique, not repeatable.
     */
    public static final class Numbering extends RichMapFunction<ClassifiedReply, ReplyFact> {
        private final String runId;
        private transient long next;

        public Numbering(String runId) {
            this.runId = runId;
        }

        @Override
        public void open(OpenContext openContext) {
            next =
                    new SplittableRandom(System.nanoTime() ^ System.identityHashCode(this))
                            .nextLong();
        }

        @Override
        public ReplyFact map(ClassifiedReply r) {
            return new ReplyFact(runId, next++, r);
        }
    }
}
