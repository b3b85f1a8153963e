package org.mpcensus.probe.wire;

/**
 * SipHash-2-4 (Aumasson and Bernstein), a keyed 64-bit MAC fast enough for every probe. Not
 * thread-safe (it keeps its state in a field): one instance per thread.
 */
final class SipHash {
    private final long k0;
    private final long k1;
    private final long[] v = new long[4];

    SipHash(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
    }

    /** The MAC of {@code data[0..length)}. */
    long hash(byte[] data, int length) {
        v[0] = 0x736f6d6570736575L ^ k0;
        v[1] = 0x646f72616e646f6dL ^ k1;
        v[2] = 0x6c7967656e657261L ^ k0;
        v[3] = 0x7465646279746573L ^ k1;
        int blocks = length / 8;
        for (int b = 0; b < blocks; b++) {
            long m = 0;
            for (int i = 7; i >= 0; i--) {
                m = (m << 8) | (data[b * 8 + i] & 0xffL);
            }
            compress(m);
        }
        long last = ((long) length & 0xff) << 56;
        for (int i = length - 1; i >= blocks * 8; i--) {
            last |= (data[i] & 0xffL) << (8 * (i - blocks * 8));
        }
        compress(last);
        v[2] ^= 0xff;
        for (int r = 0; r < 4; r++) {
            round();
        }
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    /** Absorbs one 64-bit message word with two rounds. */
    private void compress(long m) {
        v[3] ^= m;
        round();
        round();
        v[0] ^= m;
    }

    private void round() {
        v[0] += v[1];
        v[1] = Long.rotateLeft(v[1], 13);
        v[1] ^= v[0];
        v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3];
        v[3] = Long.rotateLeft(v[3], 16);
        v[3] ^= v[2];
        v[0] += v[3];
        v[3] = Long.rotateLeft(v[3], 21);
        v[3] ^= v[0];
        v[2] += v[1];
        v[1] = Long.rotateLeft(v[1], 17);
        v[1] ^= v[2];
        v[2] = Long.rotateLeft(v[2], 32);
    }
}
