package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.SegmentState;

import java.util.StringJoiner;

/**
 * One line of words per x86 architectural register, for a register list (SDM Vol. 3A ch. 2, 3, 17). The flag
 * names are {@link BitDecoders}' bit tables, the same the VMCS view decodes fields with.
 */
public final class RegisterText {
    private RegisterText() {
    }

    /** Set flags by name, plus IOPL when non-zero; e.g. "ZF IF IOPL=3". */
    public static String rflags(long v) {
        String s = BitDecoders.RFLAGS.setFlags(v);
        int iopl = (int) ((v >>> 12) & 3);
        return iopl != 0 ? (s.isEmpty() ? "" : s + " ") + "IOPL=" + iopl : (s.isEmpty() ? "(none)" : s);
    }

    public static String cr0(long v) {
        String s = BitDecoders.CR0.setFlags(v);
        String mode = (v & 1) == 0 ? "real mode" : (v & (1L << 31)) != 0 ? "protected, paging" : "protected";
        return (s.isEmpty() ? "" : s + " · ") + mode;
    }

    public static String cr3(long v, long cr4) {
        boolean pcid = (cr4 & (1 << 17)) != 0;
        return String.format("page table base 0x%x", v & ~0xFFFL) + (pcid ? String.format(" PCID %d", v & 0xFFF) : "");
    }

    public static String cr4(long v) {
        String s = BitDecoders.CR4.setFlags(v);
        return s.isEmpty() ? "(none)" : s;
    }

    public static String efer(long v) {
        String s = BitDecoders.EFER.setFlags(v);
        return s.isEmpty() ? "(none)" : s;
    }

    public static String cr8(long v) {
        return "TPR priority class " + (v & 0xF);
    }

    public static String apicBase(long v) {
        return String.format("base 0x%x%s%s%s", v & ~0xFFFL, (v & (1 << 8)) != 0 ? " BSP" : "",
                (v & (1 << 11)) != 0 ? " enabled" : " disabled", (v & (1 << 10)) != 0 ? " x2APIC" : "");
    }

    /** A segment: base, limit, VMX access rights and what they mean. */
    public static String segment(SegmentState s, boolean system) {
        if (s.unusable()) {
            return String.format("base 0x%x limit 0x%x · unusable", s.base(), s.limit());
        }
        return String.format("base 0x%x limit 0x%x AR 0x%04x · %s", s.base(), s.limit(), s.vmxAccessRights(),
                accessRights(s, system));
    }

    /** Access rights in words: type, DPL, present, size, granularity. */
    public static String accessRights(SegmentState s, boolean system) {
        StringJoiner j = new StringJoiner(", ");
        int type = s.type() & 0xF;
        if (s.s()) {
            if ((type & 8) != 0) {
                j.add("code");
                j.add((type & 2) != 0 ? "exec/read" : "exec-only");
                if ((type & 4) != 0) {
                    j.add("conforming");
                }
            } else {
                j.add("data");
                j.add((type & 2) != 0 ? "read/write" : "read-only");
                if ((type & 4) != 0) {
                    j.add("expand-down");
                }
            }
            if ((type & 1) != 0) {
                j.add("accessed");
            }
        } else {
            j.add(systemType(type));
        }
        j.add("DPL" + s.dpl());
        j.add(s.present() ? "P" : "not present");
        if (s.l()) {
            j.add("64-bit");
        } else if (s.s() && (type & 8) != 0) {
            j.add(s.db() ? "32-bit" : "16-bit");
        } else if (s.db()) {
            j.add("B");
        }
        if (s.g()) {
            j.add("4K granular");
        }
        if (s.avl()) {
            j.add("AVL");
        }
        return j.toString();
    }

    static String systemType(int type) {
        return switch (type) {
            case 1 -> "16-bit TSS (available)";
            case 2 -> "LDT";
            case 3 -> "16-bit TSS (busy)";
            case 9 -> "TSS (available)";
            case 11 -> "TSS (busy)";
            case 12 -> "call gate";
            case 14 -> "interrupt gate";
            case 15 -> "trap gate";
            default -> "system type " + type;
        };
    }

    public static String dr6(long v) {
        StringJoiner j = new StringJoiner(" ");
        for (int i = 0; i < 4; i++) {
            if ((v & (1L << i)) != 0) {
                j.add("B" + i);
            }
        }
        if ((v & (1 << 13)) != 0) {
            j.add("BD");
        }
        if ((v & (1 << 14)) != 0) {
            j.add("BS (single step)");
        }
        if ((v & (1 << 15)) != 0) {
            j.add("BT");
        }
        return j.length() == 0 ? "(none)" : j.toString();
    }

    public static String dr7(long v) {
        StringJoiner j = new StringJoiner("; ");
        for (int i = 0; i < 4; i++) {
            boolean l = (v & (1L << (2 * i))) != 0;
            boolean g = (v & (1L << (2 * i + 1))) != 0;
            if (l || g) {
                int rw = (int) ((v >>> (16 + 4 * i)) & 3);
                int len = (int) ((v >>> (18 + 4 * i)) & 3);
                String kind = switch (rw) {
                    case 0 -> "exec";
                    case 1 -> "write";
                    case 2 -> "I/O";
                    default -> "read/write";
                };
                int bytes = switch (len) {
                    case 0 -> 1;
                    case 1 -> 2;
                    case 2 -> 8;
                    default -> 4;
                };
                j.add("DR" + i + (l ? " L" : "") + (g ? " G" : "") + " " + kind + " " + bytes + "B");
            }
        }
        return j.length() == 0 ? "no breakpoints enabled" : j.toString();
    }
}
