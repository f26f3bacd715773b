package dev.vmscope.engine.x86;

/**
 * One cell of an opcode map: either an instruction (names and operands) or a selector that needs more bytes
 * to pick the instruction: the ModRM reg field (a group), the ModRM byte when mod = 3, or the mandatory
 * prefix (66/F3/F2). Cells are immutable and shared; the decoder only follows references.
 *
 * <p>Written as a compact spec, e.g. {@code "add Ev,Gv"}, {@code "push Zv !d64"},
 * {@code "cbw|cwde|cdqe"} (one name per operand size 16|32|64).
 */
final class Opcode {
    static final int D64 = 1;         // operand size defaults to 64 bits in 64-bit mode (push, pop, ...)
    static final int F64 = 1 << 1;    // operand size is 64 bits in 64-bit mode whatever the prefixes (near branches)
    static final int I64 = 1 << 2;    // invalid in 64-bit mode
    static final int O64 = 1 << 3;    // valid only in 64-bit mode
    static final int REP = 1 << 4;    // string instruction taking rep (F3)
    static final int REPE = 1 << 5;   // string instruction taking repe/repne (F3/F2)
    static final int ASZ = 1 << 6;    // names are chosen by address size, not operand size (jcxz/jecxz/jrcxz)
    static final int FORCE_REG = 1 << 7;  // mod field ignored, r/m always a register (mov cr/dr)
    static final int MODRM = 1 << 8;  // has a ModRM byte although no operand is shown ("(sse)" placeholders)
    static final int IO = 1 << 9;     // in/out/ins/outs
    static final int STRING = 1 << 10;
    static final int IMM8 = 1 << 11;  // has an imm8 although no operand is shown

    final String[] names;
    final int[] operands;
    final int flags;

    /** Group: cell by ModRM reg (memory forms, and register forms when {@link #registerForms} is null). */
    final Opcode[] group;
    /** Register forms (mod = 3) of a group: 8 cells by reg, or 64 by the low 6 bits of ModRM. */
    final Opcode[] registerForms;
    /** Cell by mandatory prefix: none, 66, F3, F2. */
    final Opcode[] byPrefix;
    /** For {@link #byPrefix}: only F3/F2 select, 66 keeps meaning operand size (popcnt, tzcnt, pause). */
    final boolean repOnly;

    // derived from the operands once, so decoding does not loop over them
    final boolean modrm;           // has a ModRM byte
    final boolean memoryOnly;      // r/m must be memory (M)
    final boolean registerOnly;    // r/m must be a register (R, U, N)
    final boolean segmentReg;      // reg names a segment register (S)

    private Opcode(String[] names, int[] operands, int flags, Opcode[] group, Opcode[] registerForms,
                   Opcode[] byPrefix, boolean repOnly) {
        this.names = names;
        this.operands = operands;
        this.flags = flags;
        this.group = group;
        this.registerForms = registerForms;
        this.byPrefix = byPrefix;
        this.repOnly = repOnly;
        boolean m = (flags & MODRM) != 0;
        boolean mem = false;
        boolean reg = false;
        boolean seg = false;
        for (int op : operands == null ? new int[0] : operands) {
            int k = Operand.kind(op);
            m |= Operand.usesModrm(op);
            mem |= k == Operand.M;
            reg |= k == Operand.R || k == Operand.U || k == Operand.N;
            seg |= k == Operand.S;
        }
        this.modrm = m;
        this.memoryOnly = mem;
        this.registerOnly = reg;
        this.segmentReg = seg;
    }

    boolean isSelector() {
        return group != null || byPrefix != null;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** Name for operand size index 0 = 16, 1 = 32, 2 = 64 bits (fewer names: the last one repeats). */
    String name(int sizeIndex) {
        return names[Math.min(sizeIndex, names.length - 1)];
    }

    // ---- construction ----

    /** An instruction from its spec, or null for "(bad)"/null spec. */
    static Opcode of(String spec) {
        if (spec == null || spec.equals("(bad)")) {
            return null;
        }
        String[] parts = spec.trim().split("\\s+");
        String[] names = parts[0].split("\\|");
        int[] ops = new int[0];
        int flags = 0;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            if (p.startsWith("!")) {
                flags |= flag(p.substring(1));
            } else {
                String[] toks = p.split(",");
                ops = new int[toks.length];
                for (int j = 0; j < toks.length; j++) {
                    ops[j] = Operand.parse(toks[j]);
                }
            }
        }
        return new Opcode(names, ops, flags, null, null, null, false);
    }

    private static int flag(String f) {
        return switch (f) {
            case "d64" -> D64;
            case "f64" -> F64;
            case "i64" -> I64;
            case "o64" -> O64;
            case "rep" -> REP | STRING;
            case "repe" -> REPE | STRING;
            case "asz" -> ASZ;
            case "reg" -> FORCE_REG;
            case "io" -> IO;
            case "iostr" -> IO | REP | STRING;
            case "modrm" -> MODRM;
            case "imm8" -> IMM8;
            default -> throw new IllegalArgumentException("flag " + f);
        };
    }

    /** A group by ModRM reg: 8 specs (null = invalid). */
    static Opcode group(String... byReg) {
        return new Opcode(null, null, 0, cells(byReg), null, null, false);
    }

    /** A group with separate memory (by reg) and register forms (8 by reg or 64 by ModRM low bits). */
    static Opcode group(Opcode[] memory, Opcode[] register) {
        return new Opcode(null, null, 0, memory, register, null, false);
    }

    /** Selected by mandatory prefix none/66/F3/F2; 66 is consumed by the selection. */
    static Opcode sse(Opcode none, Opcode o66, Opcode f3, Opcode f2) {
        return new Opcode(null, null, 0, null, null, new Opcode[]{none, o66, f3, f2}, false);
    }

    /** Selected by F3/F2 only; 66 stays an operand-size prefix. */
    static Opcode rep(Opcode none, Opcode f3, Opcode f2) {
        return new Opcode(null, null, 0, null, null, new Opcode[]{none, none, f3, f2}, true);
    }

    static Opcode[] cells(String... specs) {
        Opcode[] out = new Opcode[specs.length];
        for (int i = 0; i < specs.length; i++) {
            out[i] = of(specs[i]);
        }
        return out;
    }

    /** {@code n} references to the same cell (groups where every form is the same instruction). */
    static Opcode[] same(Opcode op, int n) {
        Opcode[] out = new Opcode[n];
        java.util.Arrays.fill(out, op);
        return out;
    }

    @Override
    public String toString() {
        return names != null ? String.join("|", names) : "<selector>";
    }
}
