package dev.vmscope.engine.vmcs;

/**
 * The SDM's 32-bit VMCS component encoding: bit 0 access type (1 = high half), bits 9:1 index, bits 11:10
 * type, bit 12 reserved (0), bits 14:13 width, bits 31:15 reserved (0).
 */
public final class VmcsEncoding {
    private VmcsEncoding() {
    }

    public static boolean wellFormed(int encoding) {
        return (encoding & ~0x7FFF) == 0 && (encoding & (1 << 12)) == 0;
    }

    public static Width width(int encoding) {
        return Width.ofCode((encoding >>> 13) & 3);
    }

    public static Area area(int encoding) {
        return Area.ofCode((encoding >>> 10) & 3);
    }

    public static int index(int encoding) {
        return (encoding >>> 1) & 0x1FF;
    }

    public static AccessType accessType(int encoding) {
        return (encoding & 1) != 0 ? AccessType.HIGH : AccessType.FULL;
    }

    public static int compose(Width width, Area area, int index, AccessType access) {
        if (index < 0 || index > 0x1FF) {
            throw new IllegalArgumentException("index " + index);
        }
        return width.code << 13 | area.code << 10 | index << 1 | (access == AccessType.HIGH ? 1 : 0);
    }

    public static String hex(int encoding) {
        return String.format("0x%04X", encoding);
    }
}
