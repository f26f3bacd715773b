package dev.vmscope.engine.gdb;

import dev.vmscope.engine.exit.GuestState;
import dev.vmscope.engine.exit.StateLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * The registers vmscope shows gdb for one {@link GdbArch}, in gdb's register-number order, and where each one lives in a vmscope
 * snapshot ({@link StateLayout} words). This one table gives the target description, the g/G packets and
 * p/P. Registers vmscope does not capture (x87, SSE) travel as "unavailable" ({@code xx}), never as zeros;
 * KERNEL_GS_BASE is known only at the {@code full} snapshot level.
 */
final class RegisterMap {
    static final String CORE = "org.gnu.gdb.i386.core";
    static final String SSE = "org.gnu.gdb.i386.sse";
    static final String SEGMENTS = "org.gnu.gdb.i386.segments";
    /** vmscope's own feature for the system registers (gdb shows any feature's registers by name). */
    static final String SYSTEM = "org.vmscope.gdb.x86.sys";

    /**
     * One register of {@code bits} on the wire: {@code word} < 0 means not captured; {@code shift} and
     * {@code field} select its bits in the word (a segment selector is bits 32-47 of its segment's second word).
     */
    record Reg(String name, int bits, String type, String group, String feature, int word, int shift, int field,
               boolean fullOnly) {
        int bytes() {
            return bits / 8;
        }

        boolean captured(GuestState s) {
            return word >= 0 && (!fullOnly || s.isFull());
        }

        long value(GuestState s) {
            long v = s.word(word) >>> shift;
            return field >= 64 ? v : v & ((1L << field) - 1);
        }

        /** {@code words} with this register set to {@code v}. */
        void store(long[] words, long v) {
            long mask = (field >= 64 ? -1L : (1L << field) - 1) << shift;
            words[word] = (words[word] & ~mask) | ((v << shift) & mask);
        }

        /** Writable: captured from kvm_regs or kvm_sregs, which vmscope can hand back to KVM. */
        boolean writable() {
            return word >= 0 && word < StateLayout.INTERRUPT_BITMAP;
        }
    }

    private final GdbArch arch;
    private final List<Reg> regs;

    RegisterMap(GdbArch arch) {
        this.arch = arch;
        this.regs = arch.gprBits == 64 ? build64() : build32();
    }

    List<Reg> regs() {
        return regs;
    }

    /** x86-64: gdb's amd64 order (rax rbx rcx rdx rsi rdi rbp rsp r8-r15 rip). */
    private static List<Reg> build64() {
        List<Reg> r = new ArrayList<>();
        String[] gpr = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp"};
        int[] word = {StateLayout.RAX, StateLayout.RBX, StateLayout.RCX, StateLayout.RDX, StateLayout.RSI,
                StateLayout.RDI, StateLayout.RBP, StateLayout.RSP};
        for (int i = 0; i < gpr.length; i++) {
            r.add(new Reg(gpr[i], 64, i >= 6 ? "data_ptr" : "int64", "general", CORE, word[i], 0, 64, false));
        }
        for (int i = 8; i <= 15; i++) {
            r.add(new Reg("r" + i, 64, "int64", "general", CORE, StateLayout.R8 + i - 8, 0, 64, false));
        }
        r.add(new Reg("rip", 64, "code_ptr", "general", CORE, StateLayout.RIP, 0, 64, false));
        addRest(r, 64, 16);
        return List.copyOf(r);
    }

    /** i386 and i8086: gdb's i386 order (eax ecx edx ebx esp ebp esi edi eip), the low halves. */
    private static List<Reg> build32() {
        List<Reg> r = new ArrayList<>();
        String[] gpr = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
        int[] word = {StateLayout.RAX, StateLayout.RCX, StateLayout.RDX, StateLayout.RBX, StateLayout.RSP,
                StateLayout.RBP, StateLayout.RSI, StateLayout.RDI};
        for (int i = 0; i < gpr.length; i++) {
            r.add(new Reg(gpr[i], 32, i == 4 || i == 5 ? "data_ptr" : "int32", "general", CORE, word[i], 0, 32,
                    false));
        }
        r.add(new Reg("eip", 32, "code_ptr", "general", CORE, StateLayout.RIP, 0, 32, false));
        addRest(r, 32, 8);
        return List.copyOf(r);
    }

    /** From eflags on: the same in both widths but for the number of XMM registers and the bases' size. */
    private static void addRest(List<Reg> r, int baseBits, int xmms) {
        r.add(new Reg("eflags", 32, "i386_eflags", "general", CORE, StateLayout.RFLAGS, 0, 32, false));
        StateLayout.Segment[] segs = {StateLayout.Segment.CS, StateLayout.Segment.SS, StateLayout.Segment.DS,
                StateLayout.Segment.ES, StateLayout.Segment.FS, StateLayout.Segment.GS};
        for (StateLayout.Segment s : segs) {
            r.add(new Reg(s.name().toLowerCase(java.util.Locale.ROOT), 32, "int32", "general", CORE,
                    StateLayout.segmentWord(s) + 1, 32, 16, false));   // the selector only
        }
        for (int i = 0; i < 8; i++) {
            r.add(new Reg("st" + i, 80, "i387_ext", "float", CORE, -1, 0, 0, false));
        }
        for (String f : new String[] {"fctrl", "fstat", "ftag", "fiseg", "fioff", "foseg", "fooff", "fop"}) {
            r.add(new Reg(f, 32, "int", "float", CORE, -1, 0, 0, false));
        }
        for (int i = 0; i < xmms; i++) {
            r.add(new Reg("xmm" + i, 128, "vec128", "vector", SSE, -1, 0, 0, false));
        }
        r.add(new Reg("mxcsr", 32, "int", "vector", SSE, -1, 0, 0, false));
        r.add(new Reg("fs_base", baseBits, "int", "system", SEGMENTS,
                StateLayout.segmentWord(StateLayout.Segment.FS), 0, baseBits, false));
        r.add(new Reg("gs_base", baseBits, "int", "system", SEGMENTS,
                StateLayout.segmentWord(StateLayout.Segment.GS), 0, baseBits, false));
        String[] sys = {"cr0", "cr2", "cr3", "cr4", "cr8", "efer"};
        int[] sysWord = {StateLayout.CR0, StateLayout.CR2, StateLayout.CR3, StateLayout.CR4, StateLayout.CR8,
                StateLayout.EFER};
        for (int i = 0; i < sys.length; i++) {
            r.add(new Reg(sys[i], 64, "int", "system", SYSTEM, sysWord[i], 0, 64, false));
        }
        r.add(new Reg("k_gs_base", 64, "int", "system", SYSTEM,
                StateLayout.msrWord(StateLayout.Msr.KERNEL_GS_BASE), 0, 64, true));
    }

    /** One register in a g or p reply: its value little-endian, or x's when it is not known. */
    static void append(StringBuilder b, Reg r, GuestState s) {
        if (s == null || !r.captured(s)) {
            b.append("xx".repeat(r.bytes()));
        } else {
            Hex.appendLittleEndian(b, r.value(s), r.bytes());
        }
    }

    /** The whole register file, as a g reply. */
    String all(GuestState s) {
        StringBuilder b = new StringBuilder(1300);
        for (Reg r : regs) {
            append(b, r, s);
        }
        return b.toString();
    }

    /** Size of a whole register file in bytes (what a G packet carries). */
    int totalBytes() {
        return regs.stream().mapToInt(Reg::bytes).sum();
    }

    /** target.xml: the architecture with the core, SSE and segment features and vmscope's system feature. */
    String targetXml() {
        StringBuilder b = new StringBuilder("""
                <?xml version="1.0"?>
                <!DOCTYPE target SYSTEM "gdb-target.dtd">
                <target version="1.0">
                """).append("<architecture>").append(arch.bfdName).append("</architecture>\n")
                .append("<osabi>none</osabi>\n");   // a bare guest, not a Linux process (no orig_eax)
        String feature = null;
        for (Reg r : regs) {
            if (!r.feature().equals(feature)) {
                if (feature != null) {
                    b.append("</feature>\n");
                }
                feature = r.feature();
                b.append("<feature name=\"").append(feature).append("\">\n").append(types(feature));
            }
            b.append(String.format("<reg name=\"%s\" bitsize=\"%d\" type=\"%s\" group=\"%s\"/>%n", r.name(), r.bits(),
                    r.type(), r.group()));
        }
        return b.append("</feature>\n</target>\n").toString();
    }

    /** Types a feature's registers use that gdb does not predefine. */
    private static String types(String feature) {
        if (feature.equals(CORE)) {
            StringBuilder b = new StringBuilder("<flags id=\"i386_eflags\" size=\"4\">\n");
            String[] names = {"CF", "", "PF", "", "AF", "", "ZF", "SF", "TF", "IF", "DF", "OF", "", "", "NT", "", "RF",
                    "VM", "AC", "VIF", "VIP", "ID"};
            for (int i = 0; i < names.length; i++) {
                if (!names[i].isEmpty() || i == 1) {
                    b.append(String.format("<field name=\"%s\" start=\"%d\" end=\"%d\"/>%n", names[i], i, i));
                }
            }
            return b.append("</flags>\n").toString();
        }
        if (feature.equals(SSE)) {
            return """
                    <vector id="v4f" type="ieee_single" count="4"/>
                    <vector id="v2d" type="ieee_double" count="2"/>
                    <vector id="v16i8" type="int8" count="16"/>
                    <vector id="v8i16" type="int16" count="8"/>
                    <vector id="v4i32" type="int32" count="4"/>
                    <vector id="v2i64" type="int64" count="2"/>
                    <union id="vec128">
                    <field name="v4_float" type="v4f"/>
                    <field name="v2_double" type="v2d"/>
                    <field name="v16_int8" type="v16i8"/>
                    <field name="v8_int16" type="v8i16"/>
                    <field name="v4_int32" type="v4i32"/>
                    <field name="v2_int64" type="v2i64"/>
                    <field name="uint128" type="uint128"/>
                    </union>
                    """;
        }
        return "";
    }

    /** The register numbered {@code n} (gdb's p/P numbering), or an error. */
    Reg get(long n) {
        if (n < 0 || n >= regs.size()) {
            throw new ProtocolException("no register " + n);
        }
        return regs.get((int) n);
    }
}
