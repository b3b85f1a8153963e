package org.mpcensus.probe.packet;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One TCP option as it was on the wire: its kind and all of its bytes, kind and length included.
 *
 * @param kind the option kind
 * @param bytes the option's bytes (one byte for EOL and NOP)
 */
public record TcpOption(int kind, byte[] bytes) {

    /** The option's name, e.g. {@code mss} or {@code mptcp}. */
    public String name() {
        return TcpOptionKind.nameOf(kind);
    }

    /** The option's length as carried on the wire (1 for EOL and NOP). */
    public int length() {
        return bytes.length;
    }

    /** For MPTCP options: the subtype (upper nibble of the third byte), else -1. */
    public int mptcpSubtype() {
        return kind == TcpOptionKind.MPTCP && bytes.length >= 3 ? (bytes[2] & 0xff) >>> 4 : -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TcpOption other
                && kind == other.kind
                && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * kind + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return name() + "[" + HexFormat.of().formatHex(bytes) + "]";
    }
}
