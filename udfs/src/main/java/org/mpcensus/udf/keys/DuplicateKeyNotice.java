package org.mpcensus.udf.keys;

import org.mpcensus.udf.host.HostKey;

/**
 * Tells a host that a key it returned was returned by another address in the same month too.
 *
 * @param host the host (in its month)
 * @param senderKey the duplicate key, 16 hex digits
 */
public record DuplicateKeyNotice(HostKey host, String senderKey) {}
