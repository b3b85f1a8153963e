package org.mpcensus.probe.packet;

/**
 * Textual forms of IPv4 and IPv6 addresses without DNS: dotted quads, and RFC 5952 canonical IPv6
 * (lowercase, longest run of zero groups compressed). Parsing never resolves names.
 */
public final class IpAddress {
    private IpAddress() {}

    /** Formats 4 or 16 bytes starting at {@code offset}. */
    public static String format(byte[] b, int offset, int length) {
        if (length == 4) {
            return (b[offset] & 0xff)
                    + "."
                    + (b[offset + 1] & 0xff)
                    + "."
                    + (b[offset + 2] & 0xff)
                    + "."
                    + (b[offset + 3] & 0xff);
        }
        if (length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + length);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = Bytes.getUnsignedShort(b, offset + 2 * i);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(groups[i]));
        }
        return s.toString();
    }

    /** Formats a whole 4- or 16-byte array. */
    public static String format(byte[] address) {
        return format(address, 0, address.length);
    }

    /**
     * Parses a literal IPv4 or IPv6 address into 4 or 16 bytes.
     *
     * @throws IllegalArgumentException naming the text when it is not an address literal
     */
    public static byte[] parse(String text) {
        if (text.indexOf(':') >= 0) {
            return parseV6(text);
        }
        return parseV4(text, text);
    }

    /**
     * The canonical text of an address literal: the text itself when it is already canonical (a
     * dotted quad without leading zeros is, the common case, found without allocating), else the
     * formatted bytes.
     *
     * @throws IllegalArgumentException naming the text when it is not an address literal
     */
    public static String canonical(String text) {
        return v4Bits(text) >= 0 ? text : format(parse(text));
    }

    /**
     * The 32 bits of a dotted quad in canonical form (each part 0-255 without leading zeros) as a
     * non-negative long, or -1 when the text is not one (it may still be an address in another
     * form: {@link #parse} tells).
     */
    public static long v4Bits(String s) {
        int n = s.length();
        if (n < 7 || n > 15) {
            return -1;
        }
        long value = 0;
        int part = 0;
        int digits = 0;
        int parts = 0;
        for (int i = 0; i <= n; i++) {
            char c = i < n ? s.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || part > 255 || ++parts > 4) {
                    return -1;
                }
                value = (value << 8) | part;
                part = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                if (digits > 0 && part == 0) {
                    return -1;
                }
                part = part * 10 + (c - '0');
                if (++digits > 3) {
                    return -1;
                }
            } else {
                return -1;
            }
        }
        return parts == 4 ? value : -1;
    }

    /**
     * The 128 bits of an IPv6 literal of hexadecimal groups (with at most one {@code ::}) into
     * {@code out[0]} (upper 64 bits) and {@code out[1]} (lower), without allocating; false when the
     * text is not of that form (it may still be an address with a zone or a trailing dotted quad,
     * or an IPv4 one: {@link #parse} tells). Where it answers true, {@link #parse} gives the same
     * bits.
     */
    public static boolean v6Bits(String s, long[] out) {
        int n = s.length();
        if (n < 2 || n > 39) {
            return false;
        }
        // The groups read so far, right-aligned in (hi, lo); those before a "::" are kept apart.
        long hi = 0;
        long lo = 0;
        int groups = 0;
        long headHi = 0;
        long headLo = 0;
        int head = -1;
        int i = 0;
        if (s.charAt(0) == ':') {
            if (s.charAt(1) != ':') {
                return false;
            }
            head = 0;
            i = 2;
        }
        while (i < n) {
            int value = 0;
            int digits = 0;
            for (; i < n && s.charAt(i) != ':'; i++) {
                int d = hexDigit(s.charAt(i));
                if (d < 0 || ++digits > 4) {
                    return false;
                }
                value = value << 4 | d;
            }
            if (digits == 0 || ++groups > 8) {
                return false;
            }
            hi = hi << 16 | lo >>> 48;
            lo = lo << 16 | value;
            if (i == n) {
                break;
            }
            // A colon: another group follows, or a second colon makes the "::".
            if (++i == n) {
                return false;
            }
            if (s.charAt(i) == ':') {
                if (head >= 0) {
                    return false;
                }
                head = groups;
                headHi = hi;
                headLo = lo;
                hi = 0;
                lo = 0;
                i++;
            }
        }
        if (head < 0) {
            if (groups != 8) {
                return false;
            }
            out[0] = hi;
            out[1] = lo;
            return true;
        }
        if (groups > 7) {
            return false;
        }
        // The groups before the "::" go to the top: shift them left by 16 bits per group not
        // among them.
        int k = 16 * (8 - head);
        long topHi;
        long topLo;
        if (k >= 128) {
            topHi = 0;
            topLo = 0;
        } else if (k >= 64) {
            topHi = headLo << (k - 64);
            topLo = 0;
        } else {
            topHi = headHi << k | headLo >>> (64 - k);
            topLo = headLo << k;
        }
        out[0] = topHi | hi;
        out[1] = topLo | lo;
        return true;
    }

    /** True when the text is an IPv6 literal (contains a colon). */
    public static boolean isV6(String text) {
        return text.indexOf(':') >= 0;
    }

    private static byte[] parseV4(String text, String whole) {
        byte[] out = new byte[4];
        int part = 0;
        int value = -1;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c == '.') {
                if (value < 0 || part > 3) {
                    throw bad(whole);
                }
                out[part++] = (byte) value;
                value = -1;
            } else if (c >= '0' && c <= '9') {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (value > 255) {
                    throw bad(whole);
                }
            } else {
                throw bad(whole);
            }
        }
        if (part != 4) {
            throw bad(whole);
        }
        return out;
    }

    private static byte[] parseV6(String text) {
        int zone = text.indexOf('%');
        String s = zone >= 0 ? text.substring(0, zone) : text;
        byte[] out = new byte[16];
        int compress = s.indexOf("::");
        if (compress >= 0 && s.indexOf("::", compress + 1) >= 0) {
            throw bad(text);
        }
        String head = compress >= 0 ? s.substring(0, compress) : s;
        String tail = compress >= 0 ? s.substring(compress + 2) : "";
        int[] headGroups = groups(head, text);
        int[] tailGroups = groups(tail, text);
        int total = headGroups.length + tailGroups.length;
        if (compress < 0 ? total != 8 : total > 7) {
            throw bad(text);
        }
        for (int i = 0; i < headGroups.length; i++) {
            Bytes.putShort(out, 2 * i, headGroups[i]);
        }
        for (int i = 0; i < tailGroups.length; i++) {
            Bytes.putShort(out, 16 - 2 * (tailGroups.length - i), tailGroups[i]);
        }
        return out;
    }

    /** Groups of 16 bits; a trailing dotted quad counts as two groups. */
    private static int[] groups(String s, String whole) {
        if (s.isEmpty()) {
            return new int[0];
        }
        String[] parts = s.split(":", -1);
        boolean quad = parts[parts.length - 1].indexOf('.') >= 0;
        int[] out = new int[parts.length + (quad ? 1 : 0)];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (quad && i == parts.length - 1) {
                byte[] v4 = parseV4(p, whole);
                out[i] = Bytes.getUnsignedShort(v4, 0);
                out[i + 1] = Bytes.getUnsignedShort(v4, 2);
                break;
            }
            if (p.isEmpty() || p.length() > 4) {
                throw bad(whole);
            }
            int value = 0;
            for (int j = 0; j < p.length(); j++) {
                int d = hexDigit(p.charAt(j));
                if (d < 0) {
                    throw bad(whole);
                }
                value = value << 4 | d;
            }
            out[i] = value;
        }
        return out;
    }

    /** The value of an ASCII hexadecimal digit, or -1. */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("not an IPv4 or IPv6 address literal: '" + text + "'");
    }
}
