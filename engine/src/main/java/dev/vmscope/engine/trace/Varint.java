package dev.vmscope.engine.trace;

/** LEB128 varints and zigzag, the building blocks of the exit encoding. */
final class Varint {
    private Varint() {
    }

    /** Writes {@code v} as an unsigned LEB128 varint at {@code pos}; returns the new position. */
    static int write(byte[] b, int pos, long v) {
        while ((v & ~0x7FL) != 0) {
            b[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[pos++] = (byte) v;
        return pos;
    }

    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }
}
