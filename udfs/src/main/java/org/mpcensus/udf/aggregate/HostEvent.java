package org.mpcensus.udf.aggregate;

import org.mpcensus.udf.classify.ClassifiedReply;
import org.mpcensus.udf.host.HostKey;
import org.mpcensus.udf.keys.DuplicateKeyNotice;

/**
 * What {@link HostTracker} consumes for one host: a reply, or a notice that a key it returned is a
 * duplicate (exactly one of the two is non-null).
 *
 * @param reply a classified reply, or null
 * @param notice a duplicate-key notice, or null
 */
public record HostEvent(ClassifiedReply reply, DuplicateKeyNotice notice) {
    public static HostEvent of(ClassifiedReply reply) {
        return new HostEvent(reply, null);
    }

    public static HostEvent of(DuplicateKeyNotice notice) {
        return new HostEvent(null, notice);
    }

    /** The host the event is about. */
    public HostKey host() {
        return reply != null ? HostKey.of(reply) : notice.host();
    }
}
