package org.mpcensus.job.output;

import java.io.Serializable;
import java.util.List;
import java.util.Set;
import org.mpcensus.udf.aggregate.ResponderDelta;
import org.mpcensus.udf.classify.ClassifiedReply;

/**
 * What a continuous job started without state takes in from the census's memory of earlier runs, so
 * that its rows continue the census rather than start it anew: the replies of the MPTCP path and
 * the plain responders of the months it can still change, and of the months their windows reach.
 * They go through the census's operators as the job's own input does, but not into the memory
 * again. A job restored from a checkpoint has them in its state already and takes in nothing.
 *
 * @param months the months loaded, in order
 * @param replies the replies of the MPTCP path of those months
 * @param plain the plain responders of those months, one {@link ResponderDelta.Origin#REMEMBERED}
 *     delta per key with every run's addresses and replies
 * @param withoutWindow loaded months whose consistency rows the job must not write: their window
 *     reaches a month that was not loaded
 * @param withoutMigration loaded months whose overlap rows the job must not write: the month before
 *     was not loaded
 */
public record RememberedCensus(
        List<String> months,
        List<ClassifiedReply> replies,
        List<ResponderDelta> plain,
        Set<String> withoutWindow,
        Set<String> withoutMigration)
        implements Serializable {

    /** Nothing remembered: a census without memory, or a job restored from its state. */
    public static final RememberedCensus NONE =
            new RememberedCensus(List.of(), List.of(), List.of(), Set.of(), Set.of());

    public boolean isEmpty() {
        return replies.isEmpty() && plain.isEmpty();
    }
}
