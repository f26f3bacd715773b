package dev.vmscope.engine.gdb;

/**
 * Hex as the remote protocol writes it: two lower-case digits a byte, registers in target (little-endian)
 * byte order, numbers in packets big-endian without leading zeros. Parsing throws {@link ProtocolException}
 * (answered with an error packet), never a runtime exception that could end the connection.
 */
final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    static void appendByte(StringBuilder b, int v) {
        b.append(DIGITS[(v >>> 4) & 0xF]).append(DIGITS[v & 0xF]);
    }

    static String bytes(byte[] data, int off, int len) {
        StringBuilder b = new StringBuilder(len * 2);
        for (int i = off; i < off + len; i++) {
            appendByte(b, data[i]);
        }
        return b.toString();
    }

    /** {@code bytes} (at most 8) little-endian bytes of {@code v}, as a register travels in a g or p reply. */
    static void appendLittleEndian(StringBuilder b, long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            appendByte(b, (int) (v >>> (8 * i)));
        }
    }

    static int digit(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        c |= 0x20;
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    /** A big-endian hex number (an address, a length, a thread id); at most 16 digits. */
    static long number(String s) {
        if (s.isEmpty() || s.length() > 16) {
            throw new ProtocolException("bad number '" + s + "'");
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = digit(s.charAt(i));
            if (d < 0) {
                throw new ProtocolException("bad number '" + s + "'");
            }
            v = (v << 4) | d;
        }
        return v;
    }

    /** Bytes from an even number of hex digits in {@code s} from {@code from}. */
    static byte[] decode(String s, int from) {
        int len = s.length() - from;
        if (len % 2 != 0) {
            throw new ProtocolException("odd number of hex digits");
        }
        byte[] out = new byte[len / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = digit(s.charAt(from + 2 * i));
            int lo = digit(s.charAt(from + 2 * i + 1));
            if (hi < 0 || lo < 0) {
                throw new ProtocolException("bad hex data");
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    /** A little-endian value of up to 8 bytes from {@code data}. */
    static long littleEndian(byte[] data, int off, int len) {
        long v = 0;
        for (int i = Math.min(len, 8) - 1; i >= 0; i--) {
            v = (v << 8) | (data[off + i] & 0xFF);
        }
        return v;
    }

    static String text(String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return bytes(b, 0, b.length);
    }
}
