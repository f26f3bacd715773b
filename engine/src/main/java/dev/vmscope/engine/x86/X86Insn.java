package dev.vmscope.engine.x86;

/**
 * One decoded x86 instruction: its encoding facts (prefixes, opcode, ModRM/SIB, displacement, immediates,
 * sizes) and, formatted on first use, its Intel-syntax text. Produced by {@link X86Decoder}; immutable once
 * returned. The facts are what VMX exit synthesis needs: instruction length, I/O with DX or an immediate port,
 * string I/O, REP, operand and address size.
 */
public final class X86Insn {
    /** Prefix bits of {@link #prefixes()}. */
    public static final int LOCK = 1;
    public static final int REPNE = 1 << 1;         // F2
    public static final int REP = 1 << 2;           // F3
    public static final int OPERAND_SIZE = 1 << 3;  // 66
    public static final int ADDRESS_SIZE = 1 << 4;  // 67
    public static final int SEGMENT = 1 << 5;       // a segment override (see segmentOverride())
    public static final int REX = 1 << 6;           // effective REX (see rex())
    public static final int VEX = 1 << 7;           // C4/C5
    public static final int EVEX = 1 << 8;          // 62 in its AVX-512 meaning

    /** Opcode maps of {@link #opcodeMap()}. */
    public static final int MAP_ONE_BYTE = 0;
    public static final int MAP_0F = 1;
    public static final int MAP_0F38 = 2;
    public static final int MAP_0F3A = 3;

    private static final String[] SEGMENT_NAMES = {"es", "cs", "ss", "ds", "fs", "gs"};

    final long address;
    final int bits;
    int length;
    boolean valid = true;
    int prefixes;
    int segment = -1;
    int rex;
    int mandatoryPrefix;        // 0, 0x66, 0xF3 or 0xF2 when the prefix selected the instruction
    int map;
    int opcode;
    int modrm = -1;
    int sib = -1;
    int dispSize;
    long disp;
    int immSize;
    long imm;
    int imm2Size;
    long imm2;
    int operandSize;
    int addressSize;
    // REX.W/R/X/B as in a REX byte's low nibble, from REX, VEX or EVEX; EVEX R'/V' in bits 4/5
    int ext;
    int vexRegister = -1;       // VEX/EVEX vvvv (already inverted), -1 without VEX
    int vexLength;              // VEX.L / EVEX.L'L: 0 = 128, 1 = 256, 2 = 512 bits
    Opcode entry;
    String name;                // mnemonic when not the entry's (VEX "v" names, generic placeholders)

    /** Formatted on first use; one immutable object so threads sharing the instruction see both or neither. */
    private Text text;

    private record Text(String mnemonic, String operands) {
    }

    X86Insn(long address, int bits) {
        this.address = address;
        this.bits = bits;
    }

    public long address() {
        return address;
    }

    /** Code size the instruction was decoded in: 16, 32 or 64. */
    public int bits() {
        return bits;
    }

    /** Length in bytes; exactly the CPU's for valid instructions, 1 for "(bad)". */
    public int length() {
        return length;
    }

    /** False for bytes that are no valid instruction in this mode (decoded as a 1-byte "(bad)"). */
    public boolean valid() {
        return valid;
    }

    /** Prefix bits ({@link #LOCK}, {@link #REP}, ...) present on the instruction, mandatory ones included. */
    public int prefixes() {
        return prefixes;
    }

    public boolean has(int prefix) {
        return (prefixes & prefix) != 0;
    }

    /**
     * Whether a REP/REPE/REPNE prefix applies (F3 or F2 that is not part of the opcode, like F3 in pause or
     * movss). For INS/OUTS this is the "REP prefixed" bit of the VMX I/O exit qualification.
     */
    public boolean repeated() {
        return (prefixes & (REP | REPNE)) != 0 && mandatoryPrefix != 0xF3 && mandatoryPrefix != 0xF2;
    }

    /** The prefix (66, F3 or F2) that is part of the opcode, or 0. */
    public int mandatoryPrefix() {
        return mandatoryPrefix;
    }

    /** Segment override 0..5 = es, cs, ss, ds, fs, gs (SDM encoding order), or -1. */
    public int segmentOverride() {
        return segment;
    }

    public String segmentOverrideName() {
        return segment < 0 ? null : SEGMENT_NAMES[segment];
    }

    /** The REX byte (0x40-0x4F) in effect, or 0. */
    public int rex() {
        return rex;
    }

    /** {@link #MAP_ONE_BYTE}, {@link #MAP_0F}, {@link #MAP_0F38} or {@link #MAP_0F3A} (VEX/EVEX: their map). */
    public int opcodeMap() {
        return map;
    }

    /** The opcode byte within its map. */
    public int opcode() {
        return opcode;
    }

    public boolean hasModrm() {
        return modrm >= 0;
    }

    /** The ModRM byte, or -1. */
    public int modrm() {
        return modrm;
    }

    public int mod() {
        return modrm < 0 ? -1 : modrm >> 6;
    }

    /** ModRM.reg without REX.R. */
    public int reg() {
        return modrm < 0 ? -1 : (modrm >> 3) & 7;
    }

    /** ModRM.rm without REX.B. */
    public int rm() {
        return modrm < 0 ? -1 : modrm & 7;
    }

    /** The SIB byte, or -1. */
    public int sib() {
        return sib;
    }

    /** Whether the instruction addresses memory through ModRM (mod != 3). */
    public boolean hasMemoryOperand() {
        return valid && (modrm >= 0 && modrm >> 6 != 3 && !entry.has(Opcode.FORCE_REG) || isMoffs());
    }

    /** Sign-extended displacement (for moffs forms: the offset). */
    public long displacement() {
        return disp;
    }

    public int displacementSize() {
        return dispSize;
    }

    /** First immediate as encoded (zero-extended); for far pointers the offset. */
    public long immediate() {
        return imm;
    }

    public int immediateSize() {
        return immSize;
    }

    /** Second immediate: enter's nesting level, a far pointer's selector. */
    public long immediate2() {
        return imm2;
    }

    public int immediate2Size() {
        return imm2Size;
    }

    /** Operand-size attribute: 16, 32 or 64 (also for byte-sized instructions, which ignore it). */
    public int operandSize() {
        return operandSize;
    }

    /** Address-size attribute: 16, 32 or 64. */
    public int addressSize() {
        return addressSize;
    }

    /** RIP-relative memory operand (64-bit mode, mod = 00, r/m = 101). */
    public boolean ripRelative() {
        return valid && bits == 64 && modrm >= 0 && (modrm & 0xC7) == 0x05 && !entry.has(Opcode.FORCE_REG);
    }

    /** The address a RIP-relative operand refers to (next instruction + displacement). */
    public long ripTarget() {
        long t = address + length + disp;
        return addressSize == 32 ? t & 0xFFFFFFFFL : t;
    }

    /** Whether the instruction has a relative branch target (jcc, jmp/call rel, loop, jcxz, xbegin). */
    public boolean hasRelativeTarget() {
        if (!valid || entry.operands == null) {
            return false;
        }
        for (int op : entry.operands) {
            if (Operand.kind(op) == Operand.J) {
                return true;
            }
        }
        return false;
    }

    /** The absolute target of a relative branch: next instruction + displacement (32-bit wrap outside 64-bit). */
    public long relativeTarget() {
        long t = address + length + X86Decoder.signExtend(imm, immSize);
        return bits == 64 ? t : t & 0xFFFFFFFFL;
    }

    // ---- I/O and strings ----

    /** IN, OUT, INS or OUTS. */
    public boolean isIo() {
        return valid && entry.has(Opcode.IO);
    }

    /** IN/OUT with an imm8 port (E4-E7). */
    public boolean ioImmediatePort() {
        return isIo() && map == 0 && opcode >= 0xE4 && opcode <= 0xE7;
    }

    /** IN/OUT with the port in DX (EC-EF). */
    public boolean ioDxPort() {
        return isIo() && map == 0 && opcode >= 0xEC;
    }

    /** INS/OUTS (6C-6F). */
    public boolean ioString() {
        return isIo() && opcode <= 0x6F;
    }

    /** IN or INS (as opposed to OUT/OUTS). */
    public boolean ioIn() {
        return isIo() && (opcode == 0x6C || opcode == 0x6D || opcode == 0xE4 || opcode == 0xE5
                || opcode == 0xEC || opcode == 0xED);
    }

    /** The immediate port of E4-E7, or -1. */
    public int ioPort() {
        return ioImmediatePort() ? (int) imm : -1;
    }

    /** Bytes per I/O access: 1, 2 or 4 (REX.W does not make I/O 64-bit). */
    public int ioSize() {
        if (!isIo()) {
            return 0;
        }
        return (opcode & 1) == 0 ? 1 : operandSize == 16 ? 2 : 4;
    }

    /** INS/OUTS with REP or REPNE (either repeats them): the "REP prefixed" bit of an I/O exit. */
    public boolean ioRepeated() {
        return ioString() && repeated();
    }

    /**
     * The segment of an INS/OUTS memory operand, 0..5 as {@link #segmentOverride()}: INS always writes through
     * ES, OUTS reads through DS unless overridden; -1 for other instructions.
     */
    public int ioSegment() {
        if (!ioString()) {
            return -1;
        }
        return ioIn() ? 0 : segment >= 0 ? segment : 3;
    }

    /** MOVS, CMPS, STOS, LODS, SCAS, INS or OUTS. */
    public boolean isString() {
        return valid && entry.has(Opcode.STRING);
    }

    boolean isMoffs() {
        return map == 0 && opcode >= 0xA0 && opcode <= 0xA3 && valid;
    }

    // ---- text ----

    /** Mnemonic with its prefix words ("rep outsb", "lock add"); "(bad)" for invalid bytes. */
    public String mnemonic() {
        return format().mnemonic();
    }

    /** Operands, Intel order, comma-separated; empty when there are none. */
    public String operands() {
        return format().operands();
    }

    public String text() {
        Text t = format();
        return t.operands().isEmpty() ? t.mnemonic() : t.mnemonic() + " " + t.operands();
    }

    private Text format() {
        Text t = text;
        if (t == null) {
            IntelSyntax f = new IntelSyntax(this);
            String ops = f.operands();   // first: it decides whether a segment override needs a prefix word
            t = new Text(f.mnemonic(), ops);
            text = t;
        }
        return t;
    }

    @Override
    public String toString() {
        return Long.toHexString(address) + ": " + text();
    }
}
