package org.mpcensus.job.schema;

import org.mpcensus.udf.aggregate.PlainResponders;
import org.mpcensus.udf.scope.Scope;

/**
 * The plain responders of one key as a run left them ({@link CensusTables#PLAIN}); a run that
 * continues the key merges the rows of every run into one. The addresses are already in the form
 * the table keeps ({@link org.mpcensus.udf.aggregate.AddressSet#toBytes}), made where the set is,
 * so that only bytes travel to the writer.
 *
 * @param runId the run that wrote the row
 * @param key the responders' key
 * @param hosts how many addresses
 * @param replies their plain replies
 * @param addresses the addresses, serialized
 */
public record PlainFact(String runId, Scope key, long hosts, long replies, byte[] addresses) {

    public static PlainFact of(String runId, PlainResponders p) {
        return new PlainFact(
                runId, p.key(), p.addresses().size(), p.replies(), p.addresses().toBytes());
    }
}
