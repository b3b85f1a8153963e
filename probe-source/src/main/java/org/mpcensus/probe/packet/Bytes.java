package org.mpcensus.probe.packet;

/** Big-endian reads and writes on byte arrays, the network byte order of every header we decode. */
public final class Bytes {
    private Bytes() {}

    public static int getUnsignedByte(byte[] b, int i) {
        return b[i] & 0xff;
    }

    public static int getUnsignedShort(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    public static long getUnsignedInt(byte[] b, int i) {
        return ((long) getUnsignedShort(b, i) << 16) | getUnsignedShort(b, i + 2);
    }

    public static long getLong(byte[] b, int i) {
        return (getUnsignedInt(b, i) << 32) | getUnsignedInt(b, i + 4);
    }

    public static void putShort(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    public static void putInt(byte[] b, int i, long v) {
        putShort(b, i, (int) (v >>> 16));
        putShort(b, i + 2, (int) v);
    }

    public static void putLong(byte[] b, int i, long v) {
        putInt(b, i, v >>> 32);
        putInt(b, i + 4, v);
    }

    /** A 64-bit value as exactly 16 lowercase hex digits. */
    public static String hex64(long v) {
        String s = Long.toHexString(v);
        return "0000000000000000".substring(s.length()) + s;
    }

    /**
     * Parses 1 to 16 hex digits (an optional {@code 0x} prefix allowed) as an unsigned 64-bit
     * value.
     */
    public static long parseHex64(String s) {
        String digits = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
        try {
            return Long.parseUnsignedLong(digits, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "a 64-bit key is 1 to 16 hex digits, not '"
                            + (s.length() > 40 ? s.substring(0, 40) + "..." : s)
                            + "'");
        }
    }
}
