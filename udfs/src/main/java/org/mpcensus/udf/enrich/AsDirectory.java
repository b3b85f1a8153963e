package org.mpcensus.udf.enrich;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What is known of an AS beside its number: name and organisation and registration country (pyasn's
 * names or CAIDA's AS Organizations, {@link AsNames}), CAIDA AS Rank ({@link AsRank}) and PeeringDB
 * network type ({@link PeeringDbNetworks}); each only when its file is given.
 */
public record AsDirectory(AsNames names, AsRank ranks, PeeringDbNetworks networks) {
    /** No files: only numbers. */
    public static final AsDirectory NONE = new AsDirectory(null, null, null);

    /** Loads the files that are given (null: not given). */
    public static AsDirectory load(Path names, Path ranks, Path peeringDb) throws IOException {
        for (Path p : new Path[] {names, ranks, peeringDb}) {
            if (p != null && !java.nio.file.Files.isReadable(p)) {
                throw new IOException("cannot read " + p);
            }
        }
        return new AsDirectory(
                names == null ? null : AsNames.load(names),
                ranks == null ? null : AsRank.load(ranks),
                peeringDb == null ? null : PeeringDbNetworks.load(peeringDb));
    }

    /** The AS's name and organisation, or null. */
    public String name(long asn) {
        return names == null ? null : names.name(asn);
    }

    /** The AS's registration country, or null. */
    public String country(long asn) {
        return names == null ? null : names.country(asn);
    }

    /** The AS's CAIDA rank, or null. */
    public Integer rank(long asn) {
        return ranks == null ? null : ranks.rank(asn);
    }

    /** The AS's PeeringDB network type, or null. */
    public String type(long asn) {
        return networks == null ? null : networks.type(asn);
    }

    /** True when no file was given. */
    public boolean isEmpty() {
        return names == null && ranks == null && networks == null;
    }

    /** All that is known of an AS. */
    public AsInfo info(long asn) {
        return new AsInfo(asn, name(asn), country(asn), rank(asn), type(asn));
    }

    /**
     * What is known of an AS.
     *
     * @param asn the AS number
     * @param name name and organisation, or null
     * @param country registration country, or null
     * @param rank CAIDA AS Rank, or null
     * @param networkType PeeringDB network type, or null
     */
    public record AsInfo(long asn, String name, String country, Integer rank, String networkType) {}
}
