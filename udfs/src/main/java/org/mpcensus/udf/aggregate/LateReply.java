package org.mpcensus.udf.aggregate;

import org.mpcensus.udf.classify.ClassifiedReply;

/**
 * A reply that came after its host-month's state was cleared (its month plus the lateness was
 * over), so it was not applied: kept so that it can be written down instead of lost.
 *
 * @param reply the reply
 * @param watermarkMillis the watermark it came after, milliseconds since the epoch
 * @param latenessMonths the lateness L in force
 */
public record LateReply(ClassifiedReply reply, long watermarkMillis, int latenessMonths) {}
