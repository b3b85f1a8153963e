package org.mpcensus.udf.sql;

import org.apache.flink.table.functions.ScalarFunction;
import org.mpcensus.probe.packet.Bytes;

/**
 * SQL {@code hamming_weight(key)}: the number of one bits of a 64-bit key given as hex; NULL for
 * none.
 */
public class HammingWeightFunction extends ScalarFunction {
    public Integer eval(String keyHex) {
        if (keyHex == null || keyHex.isBlank()) {
            return null;
        }
        try {
            return Long.bitCount(Bytes.parseHex64(keyHex.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
