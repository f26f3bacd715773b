package dev.vmscope.engine.x86;

/**
 * Operand descriptors of the opcode tables, packed into an int: kind | size << 8 | memory size << 16 | SIGNED.
 * Spelled in the tables like the Intel SDM opcode maps (appendix A): "Ev", "Gb", "Iz", "Jb", ...; a second
 * size after a slash is the size when the operand is in memory ("Ev/w": mov from a segment register,
 * "Ed/b": pextrb).
 */
final class Operand {
    // kinds: where the operand comes from
    static final int E = 1;       // ModRM r/m: register or memory
    static final int M = 2;       // ModRM r/m: memory only
    static final int R = 3;       // ModRM r/m: general register only
    static final int G = 4;       // ModRM reg: general register
    static final int S = 5;       // ModRM reg: segment register
    static final int C = 6;       // ModRM reg: control register
    static final int D = 7;       // ModRM reg: debug register
    static final int V = 8;       // ModRM reg: xmm
    static final int W = 9;       // ModRM r/m: xmm or memory
    static final int U = 10;      // ModRM r/m: xmm only
    static final int P = 11;      // ModRM reg: mmx
    static final int Q = 12;      // ModRM r/m: mmx or memory
    static final int N = 13;      // ModRM r/m: mmx only
    static final int H = 14;      // VEX.vvvv: xmm (absent in legacy encodings)
    static final int B = 15;      // VEX.vvvv: general register
    static final int I = 16;      // immediate
    static final int J = 17;      // relative branch target
    static final int A = 18;      // far pointer seg:offset in the instruction
    static final int O = 19;      // memory offset (moffs), address-size wide
    static final int Z = 20;      // general register in the low 3 opcode bits (+REX.B)
    static final int ACC = 21;    // al/ax/eax/rax by size
    static final int CL = 22;     // cl (shift count)
    static final int DX = 23;     // dx (port)
    static final int ONE = 24;    // constant 1 (shift count)
    static final int SEG = 25;    // fixed segment register, number in the size byte
    static final int ST0 = 26;    // x87 st0
    static final int STI = 27;    // x87 st(i) from ModRM rm
    static final int XMM0 = 28;   // implicit xmm0 (blendv)
    static final int L = 29;      // VEX is4: xmm/ymm register in imm8[7:4] (vblendvps)

    // sizes
    static final int NONE = 0;
    static final int SB = 1;      // byte
    static final int SW = 2;      // word
    static final int SD = 3;      // dword
    static final int SQ = 4;      // qword
    static final int SV = 5;      // operand size: word/dword/qword
    static final int SZ = 6;      // operand size capped at dword (Iz, in/out eAX)
    static final int SY = 7;      // dword, or qword with REX.W / VEX.W
    static final int SP = 8;      // far pointer m16:16/32/64 (no size keyword)
    static final int SF = 9;      // far pointer shown as "far" (jmp/call far [mem])
    static final int SS = 10;     // pseudo-descriptor (lgdt etc., no size keyword)
    static final int ST = 11;     // tword (80-bit)
    static final int SX = 12;     // oword, or yword with VEX.L
    static final int SO = 13;     // oword
    static final int SC = 15;     // control/debug register moves: dword, qword in 64-bit mode
    static final int SK = 16;     // cmpxchg8b/16b: qword, oword with REX.W
    static final int SM = 17;     // memory of no particular size (lea, fxsave, invlpg)

    static final int SIGNED = 1 << 24;   // immediate byte sign-extended to the operand size

    private Operand() {
    }

    static int kind(int op) {
        return op & 0xFF;
    }

    static int size(int op) {
        return (op >> 8) & 0xFF;
    }

    /** The size when the operand is memory. */
    static int memorySize(int op) {
        int m = (op >> 16) & 0xFF;
        return m != 0 ? m : size(op);
    }

    static boolean signed(int op) {
        return (op & SIGNED) != 0;
    }

    /** Kinds that live in (or need) the ModRM byte. */
    static boolean usesModrm(int op) {
        int k = kind(op);
        return (k >= E && k <= N) || k == STI;
    }

    private static final String[] SEGMENTS = {"es", "cs", "ss", "ds", "fs", "gs"};

    /** Parses one operand token of the table notation. */
    static int parse(String t) {
        switch (t) {
            case "al": return op(ACC, SB);
            case "ax": return op(ACC, SW);
            case "eAX": return op(ACC, SV);
            case "eAXz": return op(ACC, SZ);
            case "cl": return op(CL, SB);
            case "dx": return op(DX, SW);
            case "1": return op(ONE, NONE);
            case "st0": return op(ST0, NONE);
            case "sti": return op(STI, NONE);
            case "xmm0": return op(XMM0, NONE);
            case "Ibs": return op(I, SB) | SIGNED;
            default: break;
        }
        for (int s = 0; s < SEGMENTS.length; s++) {
            if (SEGMENTS[s].equals(t)) {
                return op(SEG, s);
            }
        }
        int k = switch (t.charAt(0)) {
            case 'E' -> E;
            case 'M' -> M;
            case 'R' -> R;
            case 'G' -> G;
            case 'S' -> S;
            case 'C' -> C;
            case 'D' -> D;
            case 'V' -> V;
            case 'W' -> W;
            case 'U' -> U;
            case 'P' -> P;
            case 'Q' -> Q;
            case 'N' -> N;
            case 'H' -> H;
            case 'B' -> B;
            case 'I' -> I;
            case 'J' -> J;
            case 'A' -> A;
            case 'O' -> O;
            case 'Z' -> Z;
            case 'L' -> L;
            default -> throw new IllegalArgumentException("operand " + t);
        };
        String[] sizes = t.substring(1).split("/");
        int op = op(k, size(sizes[0], t));
        return sizes.length > 1 ? op | size(sizes[1], t) << 16 : op;
    }

    private static int size(String sz, String t) {
        return switch (sz) {
            case "" -> NONE;
            case "b" -> SB;
            case "w" -> SW;
            case "d" -> SD;
            case "q" -> SQ;
            case "v" -> SV;
            case "z" -> SZ;
            case "y" -> SY;
            case "p" -> SP;
            case "f" -> SF;
            case "s" -> SS;
            case "t" -> ST;
            case "x" -> SX;
            case "o" -> SO;
            case "c" -> SC;
            case "k" -> SK;
            case "m" -> SM;
            default -> throw new IllegalArgumentException("operand size " + t);
        };
    }

    private static int op(int kind, int size) {
        return kind | size << 8;
    }
}
