package org.mpcensus.udf.scope;

import org.mpcensus.probe.path.PathCategory;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.classify.ClassifiedReply;

/**
 * A host the census looks at more closely (verifies its path, times HTTP(S) over it): where it
 * stands in the census and why it was chosen. It is the one input of path verification and of HTTP
 * timing.
 *
 * @param scope the month, IP version, port, probed MPTCP version and origin AS (0 when unknown)
 * @param host the address
 * @param country the country, or null
 * @param classification the classification of its reply when the census chose it; null for a host
 *     given in a list
 * @param path its path's category when its path was verified, else null
 */
public record HostOfInterest(
        Scope scope,
        String host,
        String country,
        Classification classification,
        PathCategory path) {

    /** The category of a host given in a list rather than found by a scan. */
    public static final String LISTED = "LISTED";

    /** A host found by a scan, chosen for the classification of its reply. */
    public static HostOfInterest of(ClassifiedReply r) {
        return new HostOfInterest(Scope.of(r), r.host(), r.country(), r.classification(), null);
    }

    /** A host given in a list, in a month, with no AS or country known yet. */
    public static HostOfInterest listed(
            String month, String host, int ipVersion, int port, int probedVersion) {
        return new HostOfInterest(
                new Scope(month, ipVersion, port, probedVersion, 0), host, null, null, null);
    }

    /**
     * A host as a table wrote it, {@code category} read back ({@link #category()}): a path category
     * when it names one, else a classification, else {@link #LISTED}.
     *
     * @throws IllegalArgumentException when the category is none of these
     */
    public static HostOfInterest read(Scope scope, String host, String country, String category) {
        for (PathCategory p : PathCategory.values()) {
            if (p.name().equals(category)) {
                return new HostOfInterest(scope, host, country, null, p);
            }
        }
        Classification c = LISTED.equals(category) ? null : Classification.valueOf(category);
        return new HostOfInterest(scope, host, country, c, null);
    }

    /** The same host with its origin AS and country. */
    public HostOfInterest withLocation(long asn, String country) {
        Scope s =
                new Scope(
                        scope.month(), scope.ipVersion(), scope.port(), scope.probedVersion(), asn);
        return new HostOfInterest(s, host, country, classification, path);
    }

    /** The same host, its path verified. */
    public HostOfInterest verified(PathCategory category) {
        return new HostOfInterest(scope, host, country, classification, category);
    }

    /** Whether the host was given in a list. */
    public boolean isListed() {
        return classification == null && path == null;
    }

    /**
     * Why the host was chosen, as the tables write it: its path's category when its path was
     * verified, else its reply's classification, else {@link #LISTED}.
     */
    public String category() {
        return path != null ? path.name() : classification != null ? classification.name() : LISTED;
    }

    /** The classification as the tables write it: the reply's, or {@link #LISTED}. */
    public String classificationLabel() {
        return classification != null ? classification.name() : LISTED;
    }
}
