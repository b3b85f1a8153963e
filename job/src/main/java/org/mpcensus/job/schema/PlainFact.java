package org.mpcensus.job.schema;

import org.mpcensus.udf.aggregate.PlainResponders;

/**
 * The plain responders of one key as a run left them ({@link CensusTables#PLAIN}); a run that
 * continues the key merges the rows of every run into one.
 *
 * @param runId the run that wrote the row
 * @param responders the responders
 */
public record PlainFact(String runId, PlainResponders responders) {}
