package org.mpcensus.udf.overlap;

import org.mpcensus.udf.scope.Scope;

/**
 * The key of an overlap count: a scope, what is compared and the category. Its hash is the same in
 * every JVM (enums by name, not by identity hash), so a count lands in the same key group on every
 * TaskManager and after a restore.
 *
 * @param scope the month, IP version, port and probed version and AS: for {@link
 *     OverlapMeasure#PORTS} the port is the one port of {@link OverlapCategory#ONLY_PORT} and -1
 *     for {@link OverlapCategory#BOTH_PORTS}; for the other measures the probed version is -1
 * @param measure what is compared
 * @param category where the hosts stand
 */
public record OverlapKey(Scope scope, OverlapMeasure measure, OverlapCategory category) {

    /**
     * The scope the census's tables write: the port is -1 for {@link OverlapMeasure#PORTS} (its
     * category names the port).
     */
    public Scope tableScope() {
        return measure == OverlapMeasure.PORTS
                ? new Scope(
                        scope.month(), scope.ipVersion(), -1, scope.probedVersion(), scope.asn())
                : scope;
    }

    /** The category as the census's tables write it ({@code only_443}, {@code added_v1}, ...). */
    public String label() {
        return category.label(scope.port());
    }

    @Override
    public int hashCode() {
        int h = scope.hashCode();
        h = 31 * h + measure.name().hashCode();
        return 31 * h + category.name().hashCode();
    }
}
