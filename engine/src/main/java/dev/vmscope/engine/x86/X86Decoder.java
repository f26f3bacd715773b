package dev.vmscope.engine.x86;

/**
 * Decodes x86 instructions in 16-, 32- or 64-bit code: prefixes, opcode maps, ModRM/SIB/displacement and
 * immediates, following the Intel SDM (vol. 2, chapter 2 and appendix A). The length is exact for every valid
 * instruction; bytes that are no instruction in the mode decode as a 1-byte "(bad)" so a caller always makes
 * progress. Table-driven and allocation-light: one {@link X86Insn} per instruction.
 */
public final class X86Decoder {
    /** x86 never decodes more than 15 bytes for one instruction. */
    public static final int MAX_LENGTH = 15;

    private final int bits;
    private final Opcode[] oneByte;

    /** VEX/EVEX map 1 opcodes that carry an imm8 (the 0F map's 70-73 and C2, C4-C6). */
    private static final boolean[] MAP1_IMM8 = new boolean[256];

    static {
        for (int op : new int[]{0x70, 0x71, 0x72, 0x73, 0xC2, 0xC4, 0xC5, 0xC6}) {
            MAP1_IMM8[op] = true;
        }
    }

    private static final Opcode THREE_DNOW = Opcode.of("(3dnow) !modrm !imm8");
    private static final Opcode VEX_MODRM = Opcode.of("(avx) !modrm");

    public X86Decoder(int bits) {
        if (bits != 16 && bits != 32 && bits != 64) {
            throw new IllegalArgumentException("bits must be 16, 32 or 64: " + bits);
        }
        this.bits = bits;
        this.oneByte = bits == 64 ? OneByteMap.LONG : OneByteMap.LEGACY;
    }

    public int bits() {
        return bits;
    }

    /** The instruction at the start of {@code code} in {@code bits}-bit code; null when the bytes end first. */
    public static X86Insn first(byte[] code, int bits) {
        return code == null ? null : new X86Decoder(bits).decode(code, 0, code.length, 0);
    }

    /**
     * Decodes the instruction at {@code code[offset]}, reading no further than {@code end} (exclusive).
     *
     * @return the instruction, or null when it runs past {@code end} (truncated input)
     */
    public X86Insn decode(byte[] code, int offset, int end, long address) {
        return new Run(code, offset, Math.min(end, code.length), address).decode();
    }

    /** State of one decode; short-lived. */
    private final class Run {
        private final byte[] code;
        private final int start;
        private final int end;
        private final X86Insn in;
        private int pos;
        private boolean truncated;
        private int lastRep;
        private boolean evexRounding;

        Run(byte[] code, int start, int end, long address) {
            this.code = code;
            this.start = start;
            this.end = end;
            this.pos = start;
            this.in = new X86Insn(address, bits);
        }

        private int next() {
            if (pos >= end) {
                truncated = true;
                return 0;
            }
            return code[pos++] & 0xFF;
        }

        private int peek(int ahead) {
            int p = pos + ahead;
            if (p >= end) {
                truncated = true;
                return 0;
            }
            return code[p] & 0xFF;
        }

        /** Little-endian, zero-extended. */
        private long read(int size) {
            long v = 0;
            for (int i = 0; i < size; i++) {
                v |= (long) next() << (8 * i);
            }
            return v;
        }

        X86Insn decode() {
            if (!prefixes()) {
                return truncated ? null : bad();
            }
            int b = peek(0);
            if (truncated) {
                return null;
            }
            if (b == 0xC4 || b == 0xC5 || b == 0x62) {
                // 64-bit mode: always VEX/EVEX. Otherwise LES/LDS/BOUND unless the next byte has mod = 11
                int n = peek(1);
                if (truncated) {
                    return null;
                }
                if (bits == 64 || (n & 0xC0) == 0xC0) {
                    return vex(b);
                }
            }
            pos++;
            Opcode e = opcode(b);
            if (truncated) {
                return null;
            }
            e = select(e);
            if (truncated) {
                return null;
            }
            if (e == null || e.has(Opcode.I64) && bits == 64 || e.has(Opcode.O64) && bits != 64) {
                return bad();
            }
            in.entry = e;
            sizes(e);
            if (e.modrm && in.modrm < 0) {
                in.modrm = next();
            }
            if (in.modrm >= 0 && !modrmOperand(e)) {
                return truncated ? null : bad();
            }
            immediates(e);
            return finish();
        }

        /** Legacy and REX prefixes; false if there are too many for an instruction. */
        private boolean prefixes() {
            while (true) {
                if (pos - start >= MAX_LENGTH) {
                    return false;
                }
                int b = peek(0);
                if (truncated) {
                    return false;
                }
                int p = switch (b) {
                    case 0xF0 -> X86Insn.LOCK;
                    case 0xF2 -> X86Insn.REPNE;
                    case 0xF3 -> X86Insn.REP;
                    case 0x66 -> X86Insn.OPERAND_SIZE;
                    case 0x67 -> X86Insn.ADDRESS_SIZE;
                    case 0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65 -> X86Insn.SEGMENT;
                    default -> 0;
                };
                if (p != 0) {
                    in.prefixes |= p;
                    in.rex = 0;   // a REX not directly before the opcode is ignored
                    if (p == X86Insn.SEGMENT) {
                        in.segment = b == 0x64 ? 4 : b == 0x65 ? 5 : (b >> 3) & 3;
                    } else if (b == 0xF2 || b == 0xF3) {
                        lastRep = b;
                    }
                    pos++;
                } else if (bits == 64 && (b & 0xF0) == 0x40) {
                    in.rex = b;
                    pos++;
                } else {
                    if (in.rex != 0) {
                        in.prefixes |= X86Insn.REX;
                        in.ext = in.rex & 0xF;
                    }
                    return true;
                }
            }
        }

        /** Reads the opcode (after 0F, 0F 38, 0F 3A escapes) and returns its cell. */
        private Opcode opcode(int b) {
            if (b != 0x0F) {
                in.map = X86Insn.MAP_ONE_BYTE;
                in.opcode = b;
                if (b == 0x90 && (in.ext & 1) != 0) {
                    return OneByteMap.XCHG_R8;
                }
                return oneByte[b];
            }
            int b2 = next();
            if (b2 == 0x38 || b2 == 0x3A) {
                in.map = b2 == 0x38 ? X86Insn.MAP_0F38 : X86Insn.MAP_0F3A;
                in.opcode = next();
                return (b2 == 0x38 ? SseMap.MAP_38 : SseMap.MAP_3A)[in.opcode];
            }
            in.map = X86Insn.MAP_0F;
            in.opcode = b2;
            return b2 == 0x0F ? THREE_DNOW : TwoByteMap.TABLE[b2];
        }

        /** Follows group and mandatory-prefix selectors down to an instruction (null: invalid). */
        private Opcode select(Opcode e) {
            int prefix = lastRep == 0xF3 ? 2 : lastRep == 0xF2 ? 3 : in.has(X86Insn.OPERAND_SIZE) ? 1 : 0;
            while (e != null && e.isSelector()) {
                if (e.byPrefix != null) {
                    int i = e.repOnly && prefix == 1 ? 0 : prefix;
                    e = e.byPrefix[i];
                    in.mandatoryPrefix = i == 0 ? 0 : i == 1 ? 0x66 : i == 2 ? 0xF3 : 0xF2;
                } else {
                    if (in.modrm < 0) {
                        in.modrm = next();
                    }
                    int m = in.modrm;
                    if (m >> 6 == 3 && e.registerForms != null) {
                        e = e.registerForms.length == 64 ? e.registerForms[m & 0x3F] : e.registerForms[(m >> 3) & 7];
                    } else {
                        e = e.group[(m >> 3) & 7];
                    }
                }
            }
            return e;
        }

        /** Operand- and address-size attributes (SDM 2.2.1.2, 3.6). */
        private void sizes(Opcode e) {
            boolean o66 = in.has(X86Insn.OPERAND_SIZE) && in.mandatoryPrefix != 0x66;
            boolean a67 = in.has(X86Insn.ADDRESS_SIZE);
            if (bits == 64) {
                if (e.has(Opcode.F64) || (in.ext & 8) != 0) {
                    in.operandSize = 64;
                } else if (e.has(Opcode.D64)) {
                    in.operandSize = o66 ? 16 : 64;
                } else {
                    in.operandSize = o66 ? 16 : 32;
                }
                in.addressSize = a67 ? 32 : 64;
            } else {
                in.operandSize = (bits == 16) != o66 ? 16 : 32;
                in.addressSize = (bits == 16) != a67 ? 16 : 32;
            }
        }

        /** Checks register/memory constraints and reads SIB and displacement; false if invalid/truncated. */
        private boolean modrmOperand(Opcode e) {
            int mod = in.modrm >> 6;
            boolean register = mod == 3 || e.has(Opcode.FORCE_REG);
            if (register ? e.memoryOnly : e.registerOnly) {
                return false;
            }
            if (e.segmentReg && (in.reg() > 5 || in.map == 0 && in.opcode == 0x8E && in.reg() == 1)) {
                return false;   // no segment registers 6, 7; cs cannot be loaded by mov
            }
            if (register) {
                return true;
            }
            int rm = in.modrm & 7;
            if (in.addressSize == 16) {
                in.dispSize = mod == 1 ? 1 : mod == 2 || (mod == 0 && rm == 6) ? 2 : 0;
            } else {
                int base = rm;
                if (rm == 4) {
                    in.sib = next();
                    base = in.sib & 7;
                }
                in.dispSize = mod == 1 ? 1 : mod == 2 || (mod == 0 && base == 5) ? 4 : 0;
            }
            in.disp = signExtend(read(in.dispSize), in.dispSize);
            return !truncated;
        }

        private void immediates(Opcode e) {
            for (int op : e.operands) {
                int size = immediateSize(op);
                if (size > 0) {
                    immediate(size);
                }
            }
            if (e.has(Opcode.IMM8)) {
                immediate(1);
            }
        }

        private int immediateSize(int op) {
            int s = Operand.size(op);
            int osz = in.operandSize;
            switch (Operand.kind(op)) {
                case Operand.I:
                    return switch (s) {
                        case Operand.SB -> 1;
                        case Operand.SW -> 2;
                        case Operand.SZ -> osz == 16 ? 2 : 4;
                        case Operand.SV -> osz / 8;
                        default -> throw new IllegalStateException("immediate size " + s);
                    };
                case Operand.J:
                    return s == Operand.SB ? 1 : osz == 16 ? 2 : 4;
                case Operand.L:
                    return 1;
                case Operand.A:   // offset, then the selector as second immediate
                    immediate(osz == 16 ? 2 : 4);
                    return 2;
                case Operand.O:
                    in.dispSize = in.addressSize / 8;
                    in.disp = read(in.dispSize);
                    return 0;
                default:
                    return 0;
            }
        }

        private void immediate(int size) {
            if (in.immSize == 0) {
                in.immSize = size;
                in.imm = read(size);
            } else {
                in.imm2Size = size;
                in.imm2 = read(size);
            }
        }

        private X86Insn finish() {
            if (truncated) {
                return null;
            }
            in.length = pos - start;
            return in.length > MAX_LENGTH ? bad() : in;
        }

        private X86Insn bad() {
            X86Insn b = new X86Insn(in.address, bits);
            b.valid = false;
            b.length = 1;
            b.opcode = code[start] & 0xFF;
            b.name = "(bad)";
            b.operandSize = bits == 16 ? 16 : 32;
            b.addressSize = bits;
            return b;
        }

        // ---- VEX / EVEX ----

        /** C4/C5 (VEX) or 62 (EVEX): fixed layout per map, so the length never depends on naming. */
        private X86Insn vex(int escape) {
            if (in.has(X86Insn.OPERAND_SIZE | X86Insn.REP | X86Insn.REPNE | X86Insn.LOCK) || in.rex != 0) {
                return bad();   // #UD: VEX/EVEX after 66/F2/F3/LOCK/REX
            }
            pos++;
            int ext;
            int pp;
            int map;
            if (escape == 0xC5) {
                int v1 = next();
                ext = (~v1 >> 5) & 4;
                in.vexRegister = (~v1 >> 3) & 15;
                in.vexLength = (v1 >> 2) & 1;
                pp = v1 & 3;
                map = 1;
                in.prefixes |= X86Insn.VEX;
            } else if (escape == 0xC4) {
                int v1 = next();
                int v2 = next();
                ext = ((~v1 >> 5) & 7) | ((v2 >> 4) & 8);
                map = v1 & 0x1F;
                in.vexRegister = (~v2 >> 3) & 15;
                in.vexLength = (v2 >> 2) & 1;
                pp = v2 & 3;
                in.prefixes |= X86Insn.VEX;
            } else {
                int p0 = next();
                int p1 = next();
                int p2 = next();
                ext = ((~p0 >> 5) & 7) | ((p1 >> 4) & 8) | ((~p0 >> 0) & 0x10) | ((~p2 << 2) & 0x20);
                map = p0 & 7;
                in.vexRegister = (~p1 >> 3) & 15;
                in.vexLength = (p2 >> 5) & 3;
                pp = p1 & 3;
                in.prefixes |= X86Insn.EVEX;
                // fixed bits: P0[3] = 0 (before APX), P1[2] = 1; maps 1-3, 5, 6 exist
                if ((p0 & 8) != 0 || (p1 & 4) == 0 || map == 0 || map == 4 || map == 7) {
                    return truncated ? null : bad();
                }
                evexRounding = (p2 & 0x10) != 0;
            }
            if (truncated) {
                return null;
            }
            if (map < 1 || map > 6 || (escape != 0x62 && map > 3)) {
                return bad();
            }
            in.ext = bits == 64 ? ext : ext & 8;
            if (bits != 64) {
                in.vexRegister &= 7;
            }
            in.map = map;
            in.opcode = next();
            in.mandatoryPrefix = pp == 0 ? 0 : pp == 1 ? 0x66 : pp == 2 ? 0xF3 : 0xF2;
            in.operandSize = (in.ext & 8) != 0 && bits == 64 ? 64 : 32;
            in.addressSize = bits == 64 ? (in.has(X86Insn.ADDRESS_SIZE) ? 32 : 64)
                    : (bits == 16) != in.has(X86Insn.ADDRESS_SIZE) ? 16 : 32;
            boolean vzero = escape != 0x62 && map == 1 && in.opcode == 0x77;
            Opcode e = vzero ? VexNames.VZERO : VEX_MODRM;
            if (!vzero) {
                in.modrm = next();
                in.entry = e;
                if (truncated || !modrmOperand(e)) {
                    return truncated ? null : bad();
                }
                if (in.vexLength == 3 && !(evexRounding && in.mod() == 3)) {
                    return bad();   // EVEX.L'L = 11 only encodes rounding control (register forms with b = 1)
                }
            }
            if (map == 3 || (map == 1 && MAP1_IMM8[in.opcode])) {
                immediate(1);
            }
            in.entry = escape == 0x62 ? EvexNames.entry(in) : VexNames.entry(in);
            return finish();
        }
    }

    static long signExtend(long v, int size) {
        return switch (size) {
            case 1 -> (byte) v;
            case 2 -> (short) v;
            case 4 -> (int) v;
            default -> v;
        };
    }
}
