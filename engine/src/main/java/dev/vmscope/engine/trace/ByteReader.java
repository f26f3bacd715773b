package dev.vmscope.engine.trace;

/**
 * Reads varints and bytes from a bounded region. Any read past the end, or a varint longer than 10 bytes,
 * throws {@link CorruptDataException}: data from a file is never trusted.
 */
final class ByteReader {
    private final byte[] b;
    private int pos;
    private final int end;

    ByteReader(byte[] b, int pos, int end) {
        this.b = b;
        this.pos = pos;
        this.end = end;
    }

    boolean hasMore() {
        return pos < end;
    }

    int position() {
        return pos;
    }

    long varint() {
        long v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (pos >= end) {
                throw new CorruptDataException("varint runs past the end of its chunk");
            }
            int x = b[pos++];
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
        throw new CorruptDataException("varint longer than 10 bytes");
    }

    int u8() {
        if (pos >= end) {
            throw new CorruptDataException("byte read past the end of its chunk");
        }
        return b[pos++] & 0xFF;
    }

    /** A count or length that must fit in what is left, so nothing is allocated from an unchecked value. */
    int length(int max) {
        long v = varint();
        if (v < 0 || v > max || v > end - pos) {
            throw new CorruptDataException("length " + v + " exceeds what is left (" + Math.min(max, end - pos) + ")");
        }
        return (int) v;
    }

    /** Steps over the next {@code n} bytes. */
    void bytesSkip(int n) {
        if (n < 0 || n > end - pos) {
            throw new CorruptDataException("byte run past the end of its chunk");
        }
        pos += n;
    }

    /** Copies the next {@code n} bytes into {@code dst}, which the caller has sized. */
    void bytesInto(byte[] dst, int n) {
        if (n < 0 || n > end - pos || n > dst.length) {
            throw new CorruptDataException("byte run past the end of its chunk");
        }
        System.arraycopy(b, pos, dst, 0, n);
        pos += n;
    }

    byte[] bytes(int n) {
        if (n < 0 || n > end - pos) {
            throw new CorruptDataException("byte run past the end of its chunk");
        }
        byte[] r = new byte[n];
        System.arraycopy(b, pos, r, 0, n);
        pos += n;
        return r;
    }
}
