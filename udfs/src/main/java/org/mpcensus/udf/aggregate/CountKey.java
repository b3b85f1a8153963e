package org.mpcensus.udf.aggregate;

import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.scope.Scope;

/**
 * The key of the census counts: a scope and a classification. Its hash is the same in every JVM
 * (the classification by name, not by the enum's identity hash), so a count lands in the same key
 * group on every TaskManager and after a restore.
 *
 * @param scope month, IP version, port, probed MPTCP version, AS
 * @param classification the classification
 */
public record CountKey(Scope scope, Classification classification) {

    @Override
    public int hashCode() {
        return 31 * scope.hashCode() + classification.name().hashCode();
    }
}
