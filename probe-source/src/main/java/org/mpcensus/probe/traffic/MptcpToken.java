package org.mpcensus.probe.traffic;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The token of an MPTCP key: the most significant 32 bits of its SHA-1 hash (MPTCP v0, RFC 6824
 * section 3.1) or SHA-256 hash (v1, RFC 8684 section 3.1). A subflow's MP_JOIN carries the token of
 * the receiver's key, which ties it to its connection.
 */
public final class MptcpToken {
    private MptcpToken() {}

    /** The token of a 64-bit key, unsigned. */
    public static long of(long key, int version) {
        byte[] k = new byte[8];
        for (int i = 0; i < 8; i++) {
            k[i] = (byte) (key >>> (56 - 8 * i));
        }
        try {
            byte[] h = MessageDigest.getInstance(version == 0 ? "SHA-1" : "SHA-256").digest(k);
            return ((h[0] & 0xffL) << 24)
                    | ((h[1] & 0xffL) << 16)
                    | ((h[2] & 0xffL) << 8)
                    | (h[3] & 0xffL);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has SHA-1 and SHA-256", e);
        }
    }
}
