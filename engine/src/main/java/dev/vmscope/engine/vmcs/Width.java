package dev.vmscope.engine.vmcs;

/** VMCS field widths, with the code the SDM puts in encoding bits 14:13. */
public enum Width {
    BITS16(0, 16, "16-bit"),
    BITS64(1, 64, "64-bit"),
    BITS32(2, 32, "32-bit"),
    /** 64 bits on processors that support Intel 64, 32 otherwise. */
    NATURAL(3, 64, "natural");

    public final int code;
    public final int bits;
    private final String label;

    Width(int code, int bits, String label) {
        this.code = code;
        this.bits = bits;
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The value cut to this width. */
    public long truncate(long v) {
        return bits == 64 ? v : v & ((1L << bits) - 1);
    }

    public static Width ofCode(int code) {
        for (Width w : values()) {
            if (w.code == code) {
                return w;
            }
        }
        throw new IllegalArgumentException("width code " + code);
    }
}
