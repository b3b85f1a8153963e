package org.mpcensus.udf.sql;

import java.util.HexFormat;

/** Hex arguments of the SQL functions: optional {@code 0x}, NULL or invalid gives null. */
final class SqlHex {
    private SqlHex() {}

    static byte[] parse(String hex) {
        if (hex == null) {
            return null;
        }
        String digits = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
        try {
            return HexFormat.of().parseHex(digits);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
