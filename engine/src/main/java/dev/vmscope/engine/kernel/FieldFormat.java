package dev.vmscope.engine.kernel;

/**
 * One field of a tracepoint record as the running kernel describes it in {@code events/SYSTEM/NAME/format}
 * ({@code field:unsigned int port; offset:12; size:4; signed:0;}). Values are read from the record at the
 * offset and size the kernel gave, never at offsets vmscope assumes. Records are little-endian (x86).
 *
 * @param type        the C type as written, without the name ({@code unsigned int}, {@code __u8}, {@code __data_loc char[]})
 * @param name        the field's name ({@code port}, {@code insn})
 * @param offset      byte offset in the record (the record starts with the common fields)
 * @param size        size in bytes
 * @param signed      whether a scalar is signed
 * @param arrayLength the declared array length ({@code insn[15]} → 15), 0 for a scalar
 */
public record FieldFormat(String type, String name, int offset, int size, boolean signed, int arrayLength) {

    /** True for a variable-length field: the 32-bit value holds offset (low 16 bits) and length (high 16). */
    public boolean dynamic() {
        return type.startsWith("__data_loc") || type.startsWith("__rel_loc");
    }

    /** True for a fixed array or a dynamic field: shown as bytes or text, not as a number. */
    public boolean array() {
        return arrayLength > 0 || dynamic();
    }

    /** True when the bytes are C characters (shown as text). */
    public boolean text() {
        return type.contains("char") && array();
    }

    /** Whether the record (of {@code length} bytes from {@code at}) holds this field completely. */
    public boolean fits(int length) {
        return offset >= 0 && size >= 0 && offset + size <= length;
    }

    /** This field as a number (sign-extended when signed); 0 when it does not fit in the record. */
    public long number(byte[] data, int at, int length) {
        if (!fits(length) || size == 0 || size > 8) {
            return 0;
        }
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (data[at + offset + i] & 0xFF);
        }
        if (signed && size < 8) {
            int shift = 64 - 8 * size;
            v = (v << shift) >> shift;
        }
        return v;
    }

    /** This field's bytes: the array, the dynamic area it points to, or the scalar's own bytes. */
    public byte[] bytes(byte[] data, int at, int length) {
        if (!fits(length)) {
            return new byte[0];
        }
        int from = at + offset;
        int len = size;
        if (dynamic()) {
            long loc = number(data, at, length) & 0xFFFFFFFFL;
            int off = (int) (loc & 0xFFFF);
            len = (int) (loc >>> 16);
            from = type.startsWith("__rel_loc") ? at + offset + size + off : at + off;
            if (from < at || from + len > at + length) {
                return new byte[0];   // a damaged record points outside itself
            }
        }
        byte[] out = new byte[len];
        System.arraycopy(data, from, out, 0, len);
        return out;
    }
}
