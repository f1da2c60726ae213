package io.chgate.gateway.codec;

/**
 * CityHash128 exactly as version 1.0.2 computes it — the version ClickHouse checksums its compressed blocks with
 * (later CityHash versions give different results). Written by hand: no maintained Java library offers v1.0.2.
 * Unsigned 64-bit arithmetic is Java's wrapping {@code long} arithmetic with {@code >>>} for right shifts.
 */
public final class CityHash128 {
    private static final long K0 = 0xc3a5c85c97cb3127L;
    private static final long K1 = 0xb492b66fbe98f273L;
    private static final long K2 = 0x9ae16a3b2f90404fL;
    private static final long K3 = 0xc949d7c7509e6557L;

    private CityHash128() {
    }

    /** The 128-bit hash as {@code {low64, high64}}. */
    public static long[] hash(byte[] s, int offset, int length) {
        if (length >= 16) {
            return withSeed(s, offset + 16, length - 16, load64(s, offset) ^ K3, load64(s, offset + 8));
        }
        if (length >= 8) {
            return withSeed(s, offset, 0, load64(s, offset) ^ (length * K0), load64(s, offset + length - 8) ^ K1);
        }
        return withSeed(s, offset, length, K0, K1);
    }

    private static long[] withSeed(byte[] s, int pos, int len, long seedLow, long seedHigh) {
        if (len < 128) {
            return murmur(s, pos, len, seedLow, seedHigh);
        }
        long x = seedLow;
        long y = seedHigh;
        long z = len * K1;
        long v0 = rotate(y ^ K1, 49) * K1 + load64(s, pos);
        long v1 = rotate(v0, 42) * K1 + load64(s, pos + 8);
        long w0 = rotate(y + z, 35) * K1 + x;
        long w1 = rotate(x + load64(s, pos + 88), 53) * K1;
        do {
            for (int half = 0; half < 2; half++) {
                x = rotate(x + y + v0 + load64(s, pos + 16), 37) * K1;
                y = rotate(y + v1 + load64(s, pos + 48), 42) * K1;
                x ^= w1;
                y ^= v0;
                z = rotate(z ^ w0, 33);
                long[] v = weakHash32(s, pos, v1 * K1, x + w0);
                long[] w = weakHash32(s, pos + 32, z + w1, y);
                v0 = v[0];
                v1 = v[1];
                w0 = w[0];
                w1 = w[1];
                long t = z;
                z = x;
                x = t;
                pos += 64;
            }
            len -= 128;
        } while (len >= 128);
        y += rotate(w0, 37) * K0 + z;
        x += rotate(v0 + z, 49) * K0;
        for (int tailDone = 0; tailDone < len; ) {
            tailDone += 32;
            y = rotate(y - x, 42) * K0 + v1;
            w0 += load64(s, pos + len - tailDone + 16);
            x = rotate(x, 49) * K0 + w0;
            w0 += v0;
            long[] v = weakHash32(s, pos + len - tailDone, v0, v1);
            v0 = v[0];
            v1 = v[1];
        }
        x = hashLen16(x, v0);
        y = hashLen16(y, w0);
        return new long[] {hashLen16(x + v1, w1) + y, hashLen16(x + w1, y + v1)};
    }

    private static long[] murmur(byte[] s, int pos, int len, long seedLow, long seedHigh) {
        long a = seedLow;
        long b = seedHigh;
        long c;
        long d;
        int l = len - 16;
        if (l <= 0) {
            a = shiftMix(a * K1) * K1;
            c = b * K1 + hashLen0to16(s, pos, len);
            d = shiftMix(a + (len >= 8 ? load64(s, pos) : c));
        } else {
            c = hashLen16(load64(s, pos + len - 8) + K1, a);
            d = hashLen16(b + len, c + load64(s, pos + len - 16));
            a += d;
            do {
                a ^= shiftMix(load64(s, pos) * K1) * K1;
                a *= K1;
                b ^= a;
                c ^= shiftMix(load64(s, pos + 8) * K1) * K1;
                c *= K1;
                d ^= c;
                pos += 16;
                l -= 16;
            } while (l > 0);
        }
        a = hashLen16(a, c);
        b = hashLen16(d, b);
        return new long[] {a ^ b, hashLen16(b, a)};
    }

    private static long hashLen0to16(byte[] s, int pos, int len) {
        if (len > 8) {
            long a = load64(s, pos);
            long b = load64(s, pos + len - 8);
            return hashLen16(a, rotate(b + len, len)) ^ b;
        }
        if (len >= 4) {
            long a = load32(s, pos);
            return hashLen16(len + (a << 3), load32(s, pos + len - 4));
        }
        if (len > 0) {
            int a = s[pos] & 0xff;
            int b = s[pos + (len >> 1)] & 0xff;
            int c = s[pos + len - 1] & 0xff;
            long y = (a + (b << 8)) & 0xffffffffL;
            long z = (len + (c << 2)) & 0xffffffffL;
            return shiftMix(y * K2 ^ z * K3) * K2;
        }
        return K2;
    }

    private static long[] weakHash32(byte[] s, int pos, long a, long b) {
        long w = load64(s, pos);
        long x = load64(s, pos + 8);
        long y = load64(s, pos + 16);
        long z = load64(s, pos + 24);
        a += w;
        b = rotate(b + a + z, 21);
        long c = a;
        a += x;
        a += y;
        b += rotate(a, 44);
        return new long[] {a + z, b + c};
    }

    private static long hashLen16(long u, long v) {
        final long kMul = 0x9ddfea08eb382d69L;
        long a = (u ^ v) * kMul;
        a ^= a >>> 47;
        long b = (v ^ a) * kMul;
        b ^= b >>> 47;
        return b * kMul;
    }

    private static long shiftMix(long v) {
        return v ^ (v >>> 47);
    }

    private static long rotate(long v, int shift) {
        return shift == 0 ? v : (v >>> shift) | (v << (64 - shift));
    }

    private static long load64(byte[] s, int p) {
        return (s[p] & 0xffL) | (s[p + 1] & 0xffL) << 8 | (s[p + 2] & 0xffL) << 16 | (s[p + 3] & 0xffL) << 24
                | (s[p + 4] & 0xffL) << 32 | (s[p + 5] & 0xffL) << 40 | (s[p + 6] & 0xffL) << 48
                | (s[p + 7] & 0xffL) << 56;
    }

    private static long load32(byte[] s, int p) {
        return (s[p] & 0xffL) | (s[p + 1] & 0xffL) << 8 | (s[p + 2] & 0xffL) << 16 | (s[p + 3] & 0xffL) << 24;
    }
}
