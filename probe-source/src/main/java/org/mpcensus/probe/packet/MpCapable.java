package org.mpcensus.probe.packet;

/**
 * A decoded MP_CAPABLE option (RFC 6824 for version 0, RFC 8684 for version 1).
 *
 * <pre>
 *  0        1        2        3
 * +--------+--------+----+----+--------+
 * | kind=30| length |sub=0|ver| A..H   |   length 4: v1 SYN (no key)
 * +--------+--------+----+----+--------+
 * | option sender's key (64 bits)      |   length 12: SYN / SYN-ACK
 * | option receiver's key (64 bits)    |   length 20: third ACK
 * | data-level length (16) | checksum  |   length 22 / 24: first data (v1 only)
 * +------------------------------------+
 * </pre>
 *
 * @param length the option length on the wire: 4, 12, 20, 22 or 24
 * @param version the MPTCP version in the low nibble of byte 2
 * @param flags the flag byte A..H (A is the most significant bit)
 * @param senderKey the option sender's key, or null when the option carries none
 * @param receiverKey the option receiver's key, or null when the option carries none
 * @param dataLen the data-level length, or null
 * @param checksum the DSS checksum, or null
 */
public record MpCapable(
        int length,
        int version,
        int flags,
        Long senderKey,
        Long receiverKey,
        Integer dataLen,
        Integer checksum) {

    /** The MPTCP subtype number of MP_CAPABLE. */
    public static final int SUBTYPE = 0;

    /** Flag A: checksum required. */
    public static final int FLAG_CHECKSUM_REQUIRED = 0x80;

    /** Flag H (v1) / the HMAC-SHA1 crypto algorithm bit (v0). */
    public static final int FLAG_HMAC_SHA256 = 0x01;

    /** Flags every mpcensus probe carries: checksum required, HMAC-SHA (0x81). */
    public static final int PROBE_FLAGS = FLAG_CHECKSUM_REQUIRED | FLAG_HMAC_SHA256;

    /**
     * Decodes an MP_CAPABLE option whose bytes are {@code raw[offset..offset+length)}, where {@code
     * length} is the option's length byte, already checked to lie inside {@code raw}.
     *
     * @throws IllegalArgumentException naming the problem when the length does not fit the version
     */
    static MpCapable decode(byte[] raw, int offset, int length) {
        int version = raw[offset + 2] & 0x0f;
        boolean lengthValid =
                switch (length) {
                    case 12, 20 -> true;
                    case 4, 22, 24 -> version != 0;
                    default -> false;
                };
        if (!lengthValid) {
            throw new IllegalArgumentException(
                    "MP_CAPABLE v"
                            + version
                            + " with length "
                            + length
                            + " (expected "
                            + (version == 0 ? "12 or 20" : "4, 12, 20, 22 or 24")
                            + ")");
        }
        int flags = raw[offset + 3] & 0xff;
        Long sender = length >= 12 ? Bytes.getLong(raw, offset + 4) : null;
        Long receiver = length >= 20 ? Bytes.getLong(raw, offset + 12) : null;
        Integer dataLen = length >= 22 ? Bytes.getUnsignedShort(raw, offset + 20) : null;
        Integer checksum = length == 24 ? Bytes.getUnsignedShort(raw, offset + 22) : null;
        return new MpCapable(length, version, flags, sender, receiver, dataLen, checksum);
    }

    /** The MP_CAPABLE of one option's bytes (kind, length, ...), or null when it is not one. */
    public static MpCapable parse(byte[] option) {
        if (option.length < 4
                || (option[0] & 0xff) != TcpOptionKind.MPTCP
                || (option[1] & 0xff) != option.length
                || ((option[2] & 0xff) >>> 4) != SUBTYPE) {
            return null;
        }
        try {
            return decode(option, 0, option.length);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The bytes of an MP_CAPABLE option as a SYN carries it: length 12 with the key for v0, 4 for
     * v1.
     */
    public static byte[] synOption(int version, int flags, long key) {
        if (version == 0) {
            byte[] option = new byte[12];
            option[0] = (byte) TcpOptionKind.MPTCP;
            option[1] = 12;
            option[2] = (byte) (SUBTYPE << 4);
            option[3] = (byte) flags;
            Bytes.putLong(option, 4, key);
            return option;
        }
        return new byte[] {
            (byte) TcpOptionKind.MPTCP, 4, (byte) ((SUBTYPE << 4) | (version & 0x0f)), (byte) flags
        };
    }

    /** The sender's key as 16 lowercase hex digits, or null. */
    public String senderKeyHex() {
        return senderKey == null ? null : Bytes.hex64(senderKey);
    }

    /** The receiver's key as 16 lowercase hex digits, or null. */
    public String receiverKeyHex() {
        return receiverKey == null ? null : Bytes.hex64(receiverKey);
    }
}
