package dev.vmscope.engine.x86;

/**
 * Intel-syntax text of a decoded instruction, lower case, NASM-flavoured: {@code mov dx, 0x3f8},
 * {@code rep outsb}, {@code mov byte [es:0x0], 0xab}, {@code jmp 0x8:0x1010}, {@code mov qword [rip+0x10], rax}.
 * Memory operands carry a size keyword whenever they have a natural size; branch targets are absolute
 * (address + length + displacement); RIP-relative operands show the displacement ({@link X86Insn#ripTarget()}
 * has the address).
 */
final class IntelSyntax {
    private static final String[] SEGMENTS = {"es", "cs", "ss", "ds", "fs", "gs", "?", "?"};
    private static final String[] BASE16 = {"bx+si", "bx+di", "bp+si", "bp+di", "si", "di", "bp", "bx"};

    private final X86Insn in;
    private final StringBuilder sb = new StringBuilder(40);
    private boolean memoryShown;
    private int immediatesUsed;

    IntelSyntax(X86Insn in) {
        this.in = in;
    }

    String mnemonic() {
        if (!in.valid) {
            return "(bad)";
        }
        Opcode e = in.entry;
        String name = in.name != null ? in.name : e.name(sizeIndex(e.has(Opcode.ASZ) ? in.addressSize : in.operandSize));
        if ((in.prefixes & (X86Insn.LOCK | X86Insn.REP | X86Insn.REPNE | X86Insn.SEGMENT)) == 0) {
            return name;
        }
        StringBuilder m = new StringBuilder(24);
        if (in.has(X86Insn.LOCK)) {
            m.append("lock ");
        }
        if (in.repeated()) {
            if (in.has(X86Insn.REP)) {
                m.append(e.has(Opcode.REPE) ? "repe " : "rep ");
            }
            if (in.has(X86Insn.REPNE)) {
                m.append("repne ");
            }
        }
        if (in.segment >= 0 && !memoryShown) {
            m.append(SEGMENTS[in.segment]).append(' ');   // no memory operand to show it in (movsb, nop)
        }
        return m.append(name).toString();
    }

    /** Call before {@link #mnemonic()} (it decides where a segment override is shown). */
    String operands() {
        if (!in.valid || in.has(X86Insn.EVEX)) {
            return "";
        }
        boolean vex = in.has(X86Insn.VEX);
        if (in.map == 0 && (in.opcode == 0xD4 || in.opcode == 0xD5) && in.imm == 10) {
            return "";   // aam/aad with the default base
        }
        for (int op : in.entry.operands) {
            int kind = Operand.kind(op);
            if (kind == Operand.H && !vex) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(", ");
            }
            operand(op);
        }
        if (in.map == 0 && in.opcode >= 0xE0 && in.opcode <= 0xE2 && in.has(X86Insn.ADDRESS_SIZE)) {
            // loop with a non-default counter register: say which (as NASM does)
            sb.append(", ").append(Registers.gpr(1, in.addressSize, false));
        }
        return sb.toString();
    }

    private void operand(int op) {
        int size = Operand.size(op);
        int mod = in.modrm >> 6;
        boolean register = mod == 3 || in.entry.has(Opcode.FORCE_REG);
        switch (Operand.kind(op)) {
            case Operand.E, Operand.M, Operand.R -> {
                if (register) {
                    sb.append(Registers.gpr(rmIndex(), registerBits(size), in.rex != 0));
                } else {
                    memory(Operand.memorySize(op));
                }
            }
            case Operand.G -> sb.append(Registers.gpr(regIndex(), registerBits(size), in.rex != 0));
            case Operand.S -> sb.append(SEGMENTS[in.reg()]);
            case Operand.C -> sb.append("cr").append(regIndex());
            case Operand.D -> sb.append("dr").append(regIndex());
            case Operand.V -> sb.append(vector(size)).append(regIndex());
            case Operand.W, Operand.U -> {
                if (register) {
                    sb.append(vector(size)).append(rmIndex());
                } else {
                    memory(Operand.memorySize(op));
                }
            }
            case Operand.P -> sb.append("mm").append(in.reg());
            case Operand.Q, Operand.N -> {
                if (register) {
                    sb.append("mm").append(in.rm());
                } else {
                    memory(Operand.memorySize(op));
                }
            }
            case Operand.H -> sb.append(vector(size)).append(in.vexRegister);
            case Operand.L -> sb.append(vector(size)).append((in.imm >> 4) & (in.bits == 64 ? 15 : 7));
            case Operand.B -> sb.append(Registers.gpr(in.vexRegister, registerBits(Operand.SY), false));
            case Operand.I -> immediate(op);
            case Operand.J -> hex(in.relativeTarget());
            case Operand.A -> {
                hex(in.imm2);
                sb.append(':');
                hex(in.imm);
            }
            case Operand.O -> moffs(size);
            case Operand.Z -> sb.append(Registers.gpr((in.opcode & 7) | (in.ext & 1) << 3, registerBits(size),
                    in.rex != 0));
            case Operand.ACC -> sb.append(Registers.gpr(0, registerBits(size), false));
            case Operand.CL -> sb.append("cl");
            case Operand.DX -> sb.append("dx");
            case Operand.ONE -> sb.append('1');
            case Operand.SEG -> sb.append(SEGMENTS[size]);
            case Operand.ST0 -> sb.append("st0");
            case Operand.STI -> sb.append("st").append(in.rm());
            case Operand.XMM0 -> sb.append("xmm0");
            default -> throw new IllegalStateException("operand kind " + Operand.kind(op));
        }
    }

    private int regIndex() {
        return in.reg() | (in.ext & 4) << 1;
    }

    private int rmIndex() {
        return in.rm() | (in.ext & 1) << 3;
    }

    private static int sizeIndex(int bits) {
        return bits == 16 ? 0 : bits == 32 ? 1 : 2;
    }

    private String vector(int size) {
        return size == Operand.SX && in.vexLength == 1 ? "ymm" : "xmm";
    }

    private int registerBits(int size) {
        int osz = in.operandSize;
        return switch (size) {
            case Operand.SB -> 8;
            case Operand.SW -> 16;
            case Operand.SD -> 32;
            case Operand.SQ -> 64;
            case Operand.SZ -> Math.min(osz, 32);
            case Operand.SY -> osz == 64 ? 64 : 32;
            case Operand.SC -> in.bits == 64 ? 64 : 32;
            default -> osz;
        };
    }

    private String keyword(int size) {
        return switch (size) {
            case Operand.SB -> "byte";
            case Operand.SW -> "word";
            case Operand.SD -> "dword";
            case Operand.SQ -> "qword";
            case Operand.ST -> "tword";
            case Operand.SO -> "oword";
            case Operand.SX -> in.vexLength == 1 ? "yword" : "oword";
            case Operand.SK -> in.operandSize == 64 ? "oword" : "qword";
            case Operand.SF -> "far";
            case Operand.SV, Operand.SZ, Operand.SY, Operand.SC -> switch (registerBits(size)) {
                case 16 -> "word";
                case 32 -> "dword";
                default -> "qword";
            };
            default -> null;   // no natural size: lea, lgdt, fxsave, far pointers
        };
    }

    private void memory(int size) {
        memoryShown = true;
        String k = keyword(size);
        if (k != null) {
            sb.append(k).append(' ');
        }
        sb.append('[');
        if (in.segment >= 0) {
            sb.append(SEGMENTS[in.segment]).append(':');
        }
        int mod = in.modrm >> 6;
        int rm = in.modrm & 7;
        long disp = in.disp;
        if (in.addressSize == 16) {
            if (mod == 0 && rm == 6) {
                hex(disp & 0xFFFF);
            } else {
                sb.append(BASE16[rm]);
                if (mod != 0) {
                    signed(disp);
                }
            }
        } else {
            int asz = in.addressSize;
            boolean base = true;
            if (in.sib >= 0) {
                int b = in.sib & 7;
                int index = (in.sib >> 3) & 7 | (in.ext & 2) << 2;
                base = !(mod == 0 && b == 5);
                if (base) {
                    sb.append(Registers.gpr(b | (in.ext & 1) << 3, asz, false));
                }
                if (index != 4) {
                    if (base) {
                        sb.append('+');
                    }
                    sb.append(Registers.gpr(index, asz, false));
                    if (in.sib >> 6 != 0) {
                        sb.append('*').append(1 << (in.sib >> 6));
                    }
                    if (!base) {
                        signed(disp);
                    }
                } else if (!base) {
                    absolute(disp, asz);
                }
            } else if (mod == 0 && rm == 5) {
                base = false;
                if (in.bits == 64) {
                    sb.append(asz == 64 ? "rip" : "eip");
                    signed(disp);
                } else {
                    absolute(disp, asz);
                }
            } else {
                sb.append(Registers.gpr(rmIndex(), asz, false));
            }
            if (base && mod != 0) {
                signed(disp);
            }
        }
        sb.append(']');
    }

    private void moffs(int size) {
        memoryShown = true;
        String k = keyword(size);
        if (k != null) {
            sb.append(k).append(' ');
        }
        sb.append('[');
        if (in.segment >= 0) {
            sb.append(SEGMENTS[in.segment]).append(':');
        }
        hex(in.disp);
        sb.append(']');
    }

    private void absolute(long disp, int asz) {
        hex(asz == 64 ? disp : disp & 0xFFFFFFFFL);
    }

    private void immediate(int op) {
        boolean first = immediatesUsed++ == 0;
        long v = first ? in.imm : in.imm2;
        int bytes = first ? in.immSize : in.imm2Size;
        if (Operand.signed(op)) {
            signedValue(X86Decoder.signExtend(v, 1));
        } else if (bytes == 4 && in.operandSize == 64 && Operand.size(op) == Operand.SZ) {
            hex(X86Decoder.signExtend(v, 4));   // imm32 sign-extended to 64 bits
        } else {
            hex(v);
        }
    }

    private void signed(long v) {
        sb.append(v < 0 ? '-' : '+');
        sb.append("0x").append(Long.toHexString(v < 0 ? -v : v));
    }

    private void signedValue(long v) {
        if (v < 0) {
            sb.append('-');
            v = -v;
        }
        hex(v);
    }

    private void hex(long v) {
        sb.append("0x").append(Long.toHexString(v));
    }
}
