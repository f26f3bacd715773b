package dev.vmscope.engine.trace;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The constants and byte-level helpers of the {@code .vmtrace} format shared by {@link TraceWriter} and
 * {@link TraceReader}. The format itself is described byte by byte in {@code docs/vmtrace-format.md}.
 */
final class TraceFormat {
    private TraceFormat() {
    }

    /** "\x89VMTRACE": the high byte catches 7-bit transfers, the text names the file in a hex dump. */
    static final byte[] MAGIC = {(byte) 0x89, 'V', 'M', 'T', 'R', 'A', 'C', 'E'};
    static final int MAJOR = 1;
    static final int MINOR = 2;   // 1.1 added code-page records, 1.2 kernel-event and symbols records (older readers skip them)
    /** Magic, major, minor, CRC32C of the first 12 bytes. */
    static final int PREFIX_BYTES = 16;

    /** Every record starts with these two bytes ("~V"), so a reader can find the next record after damage. */
    static final int SYNC0 = 0x7E;
    static final int SYNC1 = 0x56;
    /** sync(2) type(1) flags(1) length(4) payloadCrc(4) headerCrc(4). */
    static final int FRAME_BYTES = 16;
    /** The longest payload a reader accepts; vmscope writes at most ~270 KiB (one exit chunk). */
    static final int MAX_PAYLOAD = 16 << 20;
    /** The most exits one exit record may claim (vmscope seals at 4096). */
    static final int MAX_CHUNK_EXITS = 65_536;
    /** Console text is written in pieces of at most this many bytes. */
    static final int MAX_CONSOLE_PIECE = 64 * 1024;

    static final int HEADER = 1;
    static final int EXITS = 2;
    static final int CONSOLE = 3;
    static final int BREAKPOINT = 4;
    static final int OUTCOME = 5;
    static final int END = 6;
    static final int CODE = 7;
    static final int KERNEL_FORMATS = 8;
    static final int KERNEL_EVENTS = 9;
    static final int SYMBOLS = 10;
    /** How a code page's bytes are stored. */
    static final int CODE_RAW = 0;
    static final int CODE_DEFLATE = 1;

    static String typeName(int type) {
        return switch (type) {
            case HEADER -> "header";
            case EXITS -> "exit chunk";
            case CONSOLE -> "console";
            case BREAKPOINT -> "breakpoint hit";
            case OUTCOME -> "outcome";
            case END -> "end";
            case CODE -> "code page";
            case KERNEL_FORMATS -> "kernel formats";
            case KERNEL_EVENTS -> "kernel events";
            default -> "type " + type;
        };
    }

    static byte[] prefix() {
        byte[] b = Arrays.copyOf(MAGIC, PREFIX_BYTES);
        putU16(b, 8, MAJOR);
        putU16(b, 10, MINOR);
        putU32(b, 12, crc(b, 0, 12));
        return b;
    }

    /** Fills the 16-byte frame header for a payload of {@code length} bytes whose CRC32C is {@code payloadCrc}. */
    static void frame(byte[] f, int type, int length, int payloadCrc) {
        f[0] = (byte) SYNC0;
        f[1] = (byte) SYNC1;
        f[2] = (byte) type;
        f[3] = 0;
        putU32(f, 4, length);
        putU32(f, 8, payloadCrc);
        putU32(f, 12, crc(f, 0, 12));
    }

    /** True when {@code b[at..at+16)} is a well-formed frame header (sync, header CRC, type, length bound). */
    static boolean isFrame(byte[] b, int at) {
        if ((b[at] & 0xFF) != SYNC0 || (b[at + 1] & 0xFF) != SYNC1) {
            return false;
        }
        if (crc(b, at, 12) != u32(b, at + 12)) {
            return false;
        }
        int type = b[at + 2] & 0xFF;
        long length = u32(b, at + 4) & 0xFFFFFFFFL;
        return type != 0 && length <= MAX_PAYLOAD;
    }

    static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    static void putU16(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
    }

    static void putU32(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    static int u32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    /** A growable payload buffer: varints, zigzag varints and length-prefixed UTF-8 strings. */
    static final class Payload {
        byte[] b = new byte[256];
        int n;

        Payload reset() {
            n = 0;
            return this;
        }

        void room(int more) {
            if (b.length - n < more) {
                b = Arrays.copyOf(b, Math.max(b.length * 2, n + more));
            }
        }

        Payload varint(long v) {
            room(10);
            n = Varint.write(b, n, v);
            return this;
        }

        Payload svarint(long v) {
            return varint(Varint.zigzag(v));
        }

        Payload string(String s) {
            byte[] u = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
            return bytes(u, 0, u.length);
        }

        /** Length-prefixed bytes. */
        Payload bytes(byte[] u, int off, int len) {
            varint(len);
            room(len);
            System.arraycopy(u, off, b, n, len);
            n += len;
            return this;
        }
    }

    /** Reads what {@link Payload} writes, from a bounded region; bad data ends in CorruptDataException. */
    static final class Fields {
        private final ByteReader in;
        private final byte[] b;

        Fields(byte[] b, int off, int end) {
            this.b = b;
            this.in = new ByteReader(b, off, end);
        }

        long varint() {
            return in.varint();
        }

        long svarint() {
            return Varint.unzigzag(in.varint());
        }

        /** A varint that must lie in [min, max]. */
        long varint(String what, long min, long max) {
            long v = in.varint();
            if (v < min || v > max) {
                throw new CorruptDataException(what + " " + Long.toUnsignedString(v) + " out of range [" + min + ", "
                        + max + "]");
            }
            return v;
        }

        String string() {
            int len = in.length(Integer.MAX_VALUE);
            int at = in.position();
            in.bytesSkip(len);
            return new String(b, at, len, StandardCharsets.UTF_8);
        }

        int position() {
            return in.position();
        }

        void skip(int n) {
            in.bytesSkip(n);
        }
    }
}
