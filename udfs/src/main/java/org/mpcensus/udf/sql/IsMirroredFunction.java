package org.mpcensus.udf.sql;

import org.apache.flink.table.functions.ScalarFunction;
import org.mpcensus.udf.classify.MirrorFilter;

/**
 * SQL {@code is_mirrored(probed_version, probe_options_hex, reply_options_hex)}: whether the
 * reply's MP_CAPABLE mirrors the probe's (the classifier's mirror test); NULL for invalid hex.
 */
public class IsMirroredFunction extends ScalarFunction {
    public Boolean eval(Integer probedVersion, String probeOptionsHex, String replyOptionsHex) {
        byte[] probe = SqlHex.parse(probeOptionsHex);
        byte[] reply = SqlHex.parse(replyOptionsHex);
        if (probedVersion == null || probe == null || reply == null) {
            return null;
        }
        return MirrorFilter.isMirror(probedVersion, probe, reply);
    }
}
