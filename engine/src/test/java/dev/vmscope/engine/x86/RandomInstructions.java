package dev.vmscope.engine.x86;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Random but valid instructions as NASM source, one per line, for one code size: every operand form of the
 * general-purpose, system, x87, SSE and AVX instructions vmscope cares about, with random registers (REX ones
 * in 64-bit mode), addressing forms (16-bit, SIB, RIP-relative, address-size overrides), segment overrides,
 * displacements and immediates of every width.
 */
final class RandomInstructions {
    private static final String[] ALU = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
    private static final String[] SHIFTS = {"rol", "ror", "rcl", "rcr", "shl", "shr", "sar"};
    private static final String[] UNARY = {"inc", "dec", "not", "neg", "mul", "imul", "div", "idiv"};
    private static final String[] CC = {"o", "no", "c", "nc", "z", "nz", "na", "a", "s", "ns", "pe", "po",
                                        "l", "nl", "ng", "g"};
    private static final String[] SEGS = {"es", "cs", "ss", "ds", "fs", "gs"};

    private final int bits;
    private final Random rnd;
    private final List<Supplier<String>> templates = new ArrayList<>();

    private RandomInstructions(int bits, Random rnd) {
        this.bits = bits;
        this.rnd = rnd;
        general();
        control();
        system();
        x87();
        sse();
        avx();
    }

    /** {@code count} lines of NASM source (without the "bits" directive). */
    static List<String> generate(int bits, int count, Random rnd) {
        RandomInstructions g = new RandomInstructions(bits, rnd);
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(g.templates.get(rnd.nextInt(g.templates.size())).get());
        }
        return out;
    }

    private boolean long64() {
        return bits == 64;
    }

    // ---- building blocks ----

    private String pick(String... options) {
        return options[rnd.nextInt(options.length)];
    }

    private int gprSize() {
        return long64() ? pickInt(8, 16, 32, 64) : pickInt(8, 16, 32);
    }

    private int wideSize() {
        return long64() ? pickInt(16, 32, 64) : pickInt(16, 32);
    }

    private int pickInt(int... options) {
        return options[rnd.nextInt(options.length)];
    }

    private String reg(int size) {
        int n = rnd.nextInt(long64() ? 16 : 8);
        String[] legacy8 = {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"};
        String[] rex8 = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil"};
        String[] r16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
        if (n >= 8) {
            return "r" + n + switch (size) {
                case 8 -> "b";
                case 16 -> "w";
                case 32 -> "d";
                default -> "";
            };
        }
        return switch (size) {
            case 8 -> long64() ? rex8[n] : legacy8[n];
            case 16 -> r16[n];
            case 32 -> "e" + r16[n];
            default -> "r" + r16[n];
        };
    }

    private static String keyword(int size) {
        return switch (size) {
            case 8 -> "byte";
            case 16 -> "word";
            case 32 -> "dword";
            case 64 -> "qword";
            case 80 -> "tword";
            case 128 -> "oword";
            default -> "yword";
        };
    }

    private String hex(long v) {
        return v < 0 ? "-0x" + Long.toHexString(-v) : "0x" + Long.toHexString(v);
    }

    /** A displacement of a random width: none, 8-bit, 16/32-bit. */
    private String disp(int width) {
        return switch (rnd.nextInt(4)) {
            case 0 -> "";
            case 1 -> "+" + hex(rnd.nextInt(0x7F) + 1);
            case 2 -> "-" + hex(rnd.nextInt(0x80) + 1);
            default -> "+" + hex(0x100 + rnd.nextInt(width == 16 ? 0x7E00 : 0x7FFFFF00));
        };
    }

    private String segment() {
        return rnd.nextInt(5) == 0 ? pick(SEGS) + ":" : "";
    }

    /** A memory operand "[...]" in one of the addressing forms of this mode. */
    private String mem() {
        int r = rnd.nextInt(10);
        if (bits == 16 ? r < 7 : bits == 32 && r == 0) {
            return "[" + segment() + address16() + "]";
        }
        if (long64() && r < 2) {
            return "[rel " + segment() + "$" + disp(32) + "]";
        }
        return "[" + segment() + address32(long64() && r != 2) + "]";
    }

    private String address16() {
        String[] base = {"bx+si", "bx+di", "bp+si", "bp+di", "si", "di", "bp", "bx"};
        return rnd.nextInt(8) == 0 ? hex(rnd.nextInt(0x10000)) : pick(base) + disp(16);
    }

    /** SIB-era addressing with 32-bit registers, or 64-bit ones (r8-r15 included in 64-bit mode). */
    private String address32(boolean wide) {
        String[] regs = new String[long64() ? 16 : 8];
        for (int i = 0; i < regs.length; i++) {
            regs[i] = wide ? reg64(i) : i < 8 ? reg32(i) : "r" + i + "d";
        }
        String base = regs[rnd.nextInt(regs.length)];
        return switch (rnd.nextInt(5)) {
            case 0 -> (long64() ? "abs " : bits == 16 ? "dword " : "") + hex(rnd.nextInt(0x7FFFFFFF));
            case 1 -> index(regs) + "*" + pickInt(1, 2, 4, 8) + "+" + hex(rnd.nextInt(0x7FFFFFFF));
            case 2 -> base + "+" + index(regs) + "*" + pickInt(1, 2, 4, 8) + disp(32);
            default -> base + disp(32);
        };
    }

    private String index(String[] regs) {
        String i;
        do {
            i = regs[rnd.nextInt(regs.length)];
        } while (i.equals("esp") || i.equals("rsp"));
        return i;
    }

    private static String reg32(int i) {
        return "e" + new String[]{"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"}[i];
    }

    private static String reg64(int i) {
        return i < 8 ? "r" + new String[]{"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"}[i] : "r" + i;
    }

    private String rm(int size) {
        return rnd.nextBoolean() ? reg(size) : keyword(size) + " " + mem();
    }

    private String imm(int size) {
        return switch (size) {
            case 8 -> hex(rnd.nextInt(0x100));
            case 16 -> hex(rnd.nextInt(0x10000));
            default -> rnd.nextBoolean() ? hex(rnd.nextInt(0x80)) : hex(rnd.nextLong() & 0x7FFFFFFFL);
        };
    }

    private String jumpTarget(int range) {
        int rel = rnd.nextInt(2 * range) - range;
        return "$" + (rel >= 0 ? "+" : "") + hex(rel);
    }

    // ---- templates ----

    private void add(Supplier<String> t) {
        templates.add(t);
    }

    private void general() {
        add(() -> {
            int s = gprSize();
            return pick(ALU) + " " + (rnd.nextBoolean() ? rm(s) + ", " + reg(s) : reg(s) + ", " + rm(s));
        });
        add(() -> {
            int s = gprSize();
            return pick(ALU) + " " + rm(s) + ", " + (s == 8 ? imm(8) : rnd.nextBoolean() ? "byte " + hex(rnd.nextInt(256) - 128) : imm(s));
        });
        add(() -> pick(ALU) + " " + pick("al", "ax", "eax", long64() ? "rax" : "eax") + ", " + imm(8));
        add(() -> {
            int s = gprSize();
            return "mov " + reg(s) + ", " + (s == 64 && rnd.nextBoolean() ? hex(rnd.nextLong() >>> 1) : imm(Math.min(s, 32)));
        });
        add(() -> {
            int s = gprSize();
            return "mov " + keyword(s) + " " + mem() + ", " + imm(Math.min(s, 32));
        });
        add(() -> {
            int s = gprSize();
            return rnd.nextBoolean() ? "mov " + reg(s) + ", " + rm(s) : "mov " + rm(s) + ", " + reg(s);
        });
        add(() -> rnd.nextBoolean() ? "mov " + pick("es", "ss", "ds", "fs", "gs") + ", " + rm(16)
                : "mov " + rm(16) + ", " + pick(SEGS));
        add(() -> {
            String acc = pick("al", "ax", "eax");
            String off = long64() ? "[qword " + hex(rnd.nextLong() >>> 8) + "]" : "[" + segment() + hex(rnd.nextInt(0x10000)) + "]";
            return rnd.nextBoolean() ? "mov " + acc + ", " + off : "mov " + off + ", " + acc;
        });
        add(() -> pick(UNARY) + " " + rm(gprSize()));
        add(() -> {
            int s = gprSize();
            return "test " + rm(s) + ", " + (rnd.nextBoolean() ? reg(s) : imm(Math.min(s, 32)));
        });
        add(() -> {
            int s = gprSize();
            return "xchg " + reg(s) + ", " + rm(s);
        });
        add(() -> "lea " + reg(wideSize()) + ", " + mem());
        add(() -> pick("lss ", "lfs ", "lgs ", long64() ? "lss " : pick("les ", "lds ")) + reg(wideSize()) + ", " + mem());
        add(() -> {
            int s = gprSize();
            return pick(SHIFTS) + " " + rm(s) + ", " + pick("1", "cl", imm(8));
        });
        add(() -> {
            int s = wideSize();
            return "imul " + reg(s) + ", " + rm(s) + (rnd.nextBoolean() ? ", " + imm(s == 16 ? 16 : 32) : "");
        });
        add(() -> long64() ? "push " + pick(reg(64), reg(16), "qword " + mem(), "word " + mem())
                : "push " + pick(reg(16), reg(32), "word " + mem(), "dword " + mem()));
        add(() -> long64() ? "pop " + pick(reg(64), reg(16), "qword " + mem())
                : "pop " + pick(reg(16), reg(32), "dword " + mem()));
        add(() -> "push " + pick("byte " + hex(rnd.nextInt(256) - 128), "word " + imm(16), long64() ? "qword " + imm(32) : "dword " + imm(32)));
        add(() -> long64() ? pick("push fs", "push gs", "pop fs", "pop gs")
                : pick("push es", "push cs", "push ss", "push ds", "push fs", "push gs", "pop es", "pop ss", "pop ds", "pop fs", "pop gs"));
        add(() -> {
            int s = wideSize();
            return pick("movzx ", "movsx ") + reg(s) + ", " + rm(pickInt(8, s == 16 ? 8 : 16));
        });
        add(() -> long64() ? "movsxd " + reg(64) + ", " + rm(32) : "arpl " + rm(16) + ", " + reg(16));
        add(() -> {
            int s = wideSize();
            return pick("bt", "bts", "btr", "btc") + " " + rm(s) + ", " + (rnd.nextBoolean() ? reg(s) : imm(8));
        });
        add(() -> {
            int s = wideSize();
            return pick("bsf", "bsr", "popcnt", "lzcnt", "tzcnt") + " " + reg(s) + ", " + rm(s);
        });
        add(() -> {
            int s = wideSize();
            return pick("shld", "shrd") + " " + rm(s) + ", " + reg(s) + ", " + pick("cl", imm(8));
        });
        add(() -> {
            int s = gprSize();
            return pick("", "lock ") + pick("cmpxchg", "xadd") + " " + keyword(s) + " " + mem() + ", " + reg(s);
        });
        add(() -> "lock " + pick(ALU).replace("cmp", "add") + " " + keyword(gprSize()) + " " + mem() + ", " + imm(8));
        add(() -> "bswap " + reg(long64() ? pickInt(32, 64) : 32));
        add(() -> "set" + pick(CC) + " " + rm(8));
        add(() -> {
            int s = wideSize();
            return "cmov" + pick(CC) + " " + reg(s) + ", " + rm(s);
        });
        add(() -> {
            String s = pick("movs", "cmps", "stos", "lods", "scas");
            String w = pick("b", "w", "d", long64() ? "q" : "d");
            String rep = s.equals("cmps") || s.equals("scas") ? pick("", "repe ", "repne ") : pick("", "rep ");
            return rep + pick("", "", "fs ", "es ") + s + w;
        });
        add(() -> pick("", "rep ") + pick("", "", "fs ") + pick("ins", "outs") + pick("b", "w", "d"));
        add(() -> pick("in al, ", "in ax, ", "in eax, ") + pick("dx", imm(8)));
        add(() -> rnd.nextBoolean() ? "out dx, " + pick("al", "ax", "eax") : "out " + imm(8) + ", " + pick("al", "ax", "eax"));
        add(() -> pick("clc", "stc", "cli", "sti", "cld", "std", "cmc", "hlt", "nop", "pause", "sahf", "lahf",
                "cbw", "cwde", "cwd", "cdq", "xlatb", "int3", "int1", "wait", "leave", "pushf", "popf",
                long64() ? "cdqe" : "pusha", long64() ? "cqo" : "popa", long64() ? "pushfq" : "pushfd",
                long64() ? "nop" : pick("daa", "das", "aaa", "aas", "into", "salc", "pushad", "popad")));
        add(() -> long64() ? "nop" : pick("aam", "aad") + " " + imm(8));
        add(() -> "nop " + rm(pickInt(16, 32)));
        add(() -> {
            int s = wideSize();
            return "xchg " + (s == 16 ? "ax" : s == 32 ? "eax" : "rax") + ", " + reg(s);
        });
        add(() -> long64() ? "nop" : "bound " + reg(pickInt(16, 32)) + ", " + mem());
    }

    private void control() {
        add(() -> "j" + pick(CC) + " short " + jumpTarget(100));
        add(() -> "j" + pick(CC) + " near " + jumpTarget(0x700));
        add(() -> "jmp short " + jumpTarget(100));
        add(() -> pick("jmp near ", "call ") + jumpTarget(0x700));
        add(() -> pick("loop ", "loope ", "loopne ", bits == 16 ? "jcxz " : bits == 32 ? "jecxz " : "jrcxz ") + jumpTarget(100));
        add(() -> (long64() ? pick("jecxz ", "a32 loop ") : bits == 16 ? pick("jecxz ", "a32 loop ") : pick("jcxz ", "a16 loope "))
                + jumpTarget(100));
        add(() -> long64() ? "nop" : pick("call ", "jmp ") + (bits == 16 ? "dword " : "word ") + jumpTarget(0x700));
        add(() -> rnd.nextBoolean() ? "xbegin " + jumpTarget(0x700) : "xabort " + imm(8));
        add(() -> pick("jmp ", "call ") + (long64() ? pick(reg(64), "qword " + mem()) : pick(reg(bits), keyword(bits) + " " + mem())));
        add(() -> pick("jmp far ", "call far ") + (long64() ? pick("", "qword ") : "") + mem());
        add(() -> long64() ? "nop" : pick("jmp ", "call ") + pick("", bits == 16 ? "dword " : "word ") + hex(rnd.nextInt(0x10000)) + ":" + imm(16));
        add(() -> pick("ret", "retf") + pick("", " " + imm(16)));
        add(() -> "enter " + imm(16) + ", " + imm(8));
        add(() -> pick("int " + imm(8), "iret", "iretd", long64() ? "iretq" : "iret"));
    }

    private void system() {
        add(() -> pick("lgdt", "lidt", "sgdt", "sidt", "invlpg") + " " + mem());
        add(() -> pick("lldt", "ltr", "verr", "verw", "lmsw") + " " + rm(16));
        add(() -> pick("sldt", "str", "smsw") + " " + pick(reg(16), reg(32), "word " + mem()));
        add(() -> pick("lar", "lsl") + " " + reg(pickInt(16, 32)) + ", " + rm(16));
        add(() -> {
            String cr = "cr" + pick("0", "2", "3", "4", long64() ? "8" : "0");
            String r = long64() ? reg(64) : reg(32);
            return rnd.nextBoolean() ? "mov " + cr + ", " + r : "mov " + r + ", " + cr;
        });
        add(() -> {
            String dr = "dr" + pick("0", "1", "2", "3", "6", "7");
            String r = long64() ? reg(64) : reg(32);
            return rnd.nextBoolean() ? "mov " + dr + ", " + r : "mov " + r + ", " + dr;
        });
        add(() -> pick("rdmsr", "wrmsr", "rdtsc", "rdtscp", "rdpmc", "cpuid", "sysenter", "sysexit", "syscall",
                "sysret", "clts", "wbinvd", "invd", "ud2", "xgetbv", "xsetbv", "vmcall", "vmlaunch", "vmresume",
                "vmxoff", "vmmcall", "monitor", "mwait", "lfence", "mfence", "sfence", "rsm", "getsec",
                long64() ? "swapgs" : "clts", "stac", "clac", "xend", "xtest", "vmfunc", long64() ? "rdpkru" : "nop", long64() ? "wrpkru" : "nop",
                "endbr64", "endbr32", "serialize"));
        add(() -> pick("vmptrld", "vmclear", "vmxon", "vmptrst") + " " + mem());
        add(() -> {
            String r = long64() ? reg(64) : reg(32);
            return rnd.nextBoolean() ? "vmread " + pick(r, mem()) + ", " + r : "vmwrite " + r + ", " + pick(r, mem());
        });
        add(() -> pick("invept", "invvpid", "invpcid") + " " + (long64() ? reg(64) : reg(32)) + ", " + mem());
        add(() -> pick("rdrand", "rdseed") + " " + reg(wideSize()));
        add(() -> pick("clflush", "clflushopt", "clwb", "fxsave", "fxrstor", "xsave", "xrstor", "xsaveopt",
                "xsavec", "xsaves", "xrstors", "prefetchnta", "prefetcht0", "prefetcht1", "prefetcht2",
                "prefetchw") + " " + mem());
        add(() -> long64() ? pick("fxsave64", "xsave64", "xrstor64", "xsaveopt64") + " " + mem() : "nop");
        add(() -> pick("ldmxcsr", "stmxcsr") + " " + mem());
        add(() -> pick("cmpxchg8b", long64() ? "cmpxchg16b" : "cmpxchg8b") + " " + mem());
        add(() -> long64() ? pick("rdfsbase", "rdgsbase", "wrfsbase", "wrgsbase") + " " + reg(pickInt(32, 64)) : "nop");
    }

    private void x87() {
        add(() -> pick("fld", "fst", "fstp") + " " + pick("dword", "qword") + " " + mem());
        add(() -> pick("fld", "fstp") + " tword " + mem());
        add(() -> pick("fild", "fistp", "fisttp") + " " + pick("word", "dword", "qword") + " " + mem());
        add(() -> pick("fist", "fiadd", "fimul", "ficom", "fisub", "fidiv") + " " + pick("word", "dword") + " " + mem());
        add(() -> pick("fadd", "fmul", "fcom", "fcomp", "fsub", "fsubr", "fdiv", "fdivr") + " " + pick("dword", "qword") + " " + mem());
        add(() -> pick("fadd", "fmul", "fsub", "fdiv") + " st0, st" + rnd.nextInt(8));
        add(() -> pick("faddp", "fmulp", "fsubp", "fdivp", "fxch", "fld", "fstp", "fucom", "ffree") + " st" + rnd.nextInt(8));
        add(() -> pick("fcomi", "fucomip", "fcmovb", "fcmove", "fcmovnbe") + " st0, st" + rnd.nextInt(8));
        add(() -> pick("fldcw", "fnstcw", "fnstsw", "fldenv", "fnstenv", "fnsave", "frstor", "fbld", "fbstp") + " " + mem());
        add(() -> pick("fninit", "fnclex", "fnstsw ax", "fld1", "fldz", "fldpi", "fchs", "fabs", "fsqrt", "fsin",
                "fcos", "fxam", "ftst", "fcompp", "fucompp", "fprem", "fscale", "frndint", "fnop", "fwait"));
    }

    private String xmm() {
        return "xmm" + rnd.nextInt(long64() ? 16 : 8);
    }

    private String xm() {
        return rnd.nextBoolean() ? xmm() : mem();
    }

    private void sse() {
        add(() -> pick("movaps", "movups", "movapd", "movupd", "movdqa", "movdqu") + " " + (rnd.nextBoolean() ? xmm() + ", " + xm() : mem() + ", " + xmm()));
        add(() -> pick("addps", "addsd", "mulss", "subpd", "divps", "minsd", "maxss", "sqrtps", "andps", "xorpd",
                "orps", "pxor", "pand", "por", "paddd", "psubq", "pcmpeqb", "pmuludq", "punpcklbw", "packuswb",
                "pshufb", "phaddw", "pmulld", "pminsd", "pcmpgtq", "aesenc", "aesdeclast", "aesimc", "ptest",
                "pmovzxbw", "pmovsxdq", "unpcklps", "cvtdq2ps", "cvtps2pd", "cvttps2dq", "comisd", "ucomiss",
                "movsldup", "movddup", "haddps", "addsubpd", "sha1msg1", "sha256msg2", "movshdup") + " " + xmm() + ", " + xm());
        add(() -> pick("pshufd", "pshufhw", "pshuflw", "shufps", "shufpd", "cmpps", "cmpsd", "roundps", "blendps",
                "palignr", "pclmulqdq", "pcmpistri", "dpps", "mpsadbw", "insertps", "aeskeygenassist") + " " + xmm() + ", " + xm() + ", " + imm(8));
        add(() -> pick("psrlw", "psraw", "psllw", "psrld", "pslld", "psrlq", "psllq", "psrldq", "pslldq") + " " + xmm() + ", " + imm(8));
        add(() -> pick("psrlw", "psllq", "psrad") + " mm" + rnd.nextInt(8) + ", " + imm(8));
        add(() -> pick("paddb", "psubw", "pmullw", "pxor", "punpckhwd", "pcmpeqd", "pmaddwd", "psadbw", "pshufb", "pabsd")
                + " mm" + rnd.nextInt(8) + ", " + (rnd.nextBoolean() ? "mm" + rnd.nextInt(8) : mem()));
        add(() -> "movd " + (rnd.nextBoolean() ? xmm() + ", " + pick(reg(32), "dword " + mem()) : pick(reg(32), "dword " + mem()) + ", " + xmm()));
        add(() -> long64() ? "movq " + xmm() + ", " + reg(64) : "movq " + xmm() + ", " + xm());
        add(() -> "movq " + pick("mm" + rnd.nextInt(8) + ", " + pick("mm" + rnd.nextInt(8), mem()), mem() + ", mm" + rnd.nextInt(8)));
        add(() -> pick("cvtsi2sd", "cvtsi2ss") + " " + xmm() + ", " + pick(reg(32), "dword " + mem()));
        add(() -> pick("cvttsd2si", "cvtsd2si", "cvttss2si") + " " + reg(long64() ? pickInt(32, 64) : 32) + ", " + xm());
        add(() -> pick("movss", "movsd") + " " + (rnd.nextBoolean() ? xmm() + ", " + xm() : mem() + ", " + xmm()));
        add(() -> pick("movlps", "movhps", "movlpd", "movhpd") + " " + (rnd.nextBoolean() ? xmm() + ", " + mem() : mem() + ", " + xmm()));
        add(() -> pick("movhlps", "movlhps") + " " + xmm() + ", " + xmm());
        add(() -> pick("movntps", "movntdq", "movntpd") + " " + mem() + ", " + xmm());
        add(() -> "movnti " + mem() + ", " + reg(long64() ? pickInt(32, 64) : 32));
        add(() -> pick("pextrw", "pextrb", "pextrd") + " " + reg(32) + ", " + xmm() + ", " + imm(8));
        add(() -> pick("pinsrw", "pinsrb", "pinsrd") + " " + xmm() + ", " + reg(32) + ", " + imm(8));
        add(() -> "pmovmskb " + reg(32) + ", " + xmm());
        add(() -> "movmskps " + reg(32) + ", " + xmm());
        add(() -> "crc32 " + reg(32) + ", " + rm(pickInt(8, 16, 32)));
        add(() -> "movbe " + (rnd.nextBoolean() ? reg(32) + ", " + mem() : mem() + ", " + reg(32)));
        add(() -> pick("adcx", "adox") + " " + reg(32) + ", " + rm(32));
        add(() -> pick("emms", "lddqu " + xmm() + ", " + mem(), "maskmovdqu " + xmm() + ", " + xmm()));
    }

    private String vreg(boolean ymm) {
        return (ymm ? "ymm" : "xmm") + rnd.nextInt(long64() ? 16 : 8);
    }

    private void avx() {
        add(() -> {
            boolean y = rnd.nextBoolean();
            return pick("vmovaps", "vmovups", "vmovdqa", "vmovdqu", "vmovapd") + " " + (rnd.nextBoolean() ? vreg(y) + ", " + (rnd.nextBoolean() ? vreg(y) : mem()) : mem() + ", " + vreg(y));
        });
        add(() -> {
            String m = pick("vaddps", "vmulpd", "vsubps", "vxorps", "vandpd", "vpxor", "vpaddd", "vpand", "vpor",
                    "vpcmpeqb", "vpshufb", "vpermd", "vpsllvd", "vpsrlvq", "vfmadd231ps", "vfnmadd132pd",
                    "vunpcklps", "vpmulld", "vpminud", "vmaxps");
            boolean y = m.equals("vpermd") || rnd.nextBoolean();   // vpermd has no 128-bit form
            return m + " " + vreg(y) + ", " + vreg(y) + ", " + (rnd.nextBoolean() ? vreg(y) : mem());
        });
        add(() -> pick("vaddsd", "vmulss", "vfmadd213sd", "vsqrtsd") + " " + vreg(false) + ", " + vreg(false) + ", " + (rnd.nextBoolean() ? vreg(false) : mem()));
        add(() -> {
            boolean y = rnd.nextBoolean();
            return pick("vpshufd", "vpermilps", "vroundps") + " " + vreg(y) + ", " + (rnd.nextBoolean() ? vreg(y) : mem()) + ", " + imm(8);
        });
        add(() -> pick("vperm2f128", "vperm2i128", "vshufps", "vblendps", "vpblendd") + " ymm" + rnd.nextInt(8) + ", ymm" + rnd.nextInt(8) + ", " + pick("ymm3", mem()) + ", " + imm(8));
        add(() -> "vpermq " + vreg(true) + ", " + (rnd.nextBoolean() ? vreg(true) : mem()) + ", " + imm(8));
        add(() -> pick("vinsertf128", "vinserti128") + " " + vreg(true) + ", " + vreg(true) + ", " + pick(vreg(false), mem()) + ", " + imm(8));
        add(() -> pick("vextractf128", "vextracti128") + " " + pick(vreg(false), mem()) + ", " + vreg(true) + ", " + imm(8));
        add(() -> pick("vbroadcastss", "vpbroadcastd", "vpbroadcastq", "vpbroadcastb") + " " + vreg(rnd.nextBoolean()) + ", " + pick(vreg(false), mem()));
        add(() -> pick("vpsrlw", "vpslld", "vpsrlq", "vpsrldq") + " " + vreg(false) + ", " + vreg(false) + ", " + imm(8));
        add(() -> pick("vzeroupper", "vzeroall"));
        add(() -> pick("vblendvps", "vpblendvb") + " " + vreg(false) + ", " + vreg(false) + ", " + pick(vreg(false), mem()) + ", " + vreg(false));
        add(() -> {
            String r = long64() && rnd.nextBoolean() ? "64" : "32";
            return pick("andn", "pdep", "pext", "mulx") + " " + reg(Integer.parseInt(r)) + ", " + reg(Integer.parseInt(r)) + ", " + rm(Integer.parseInt(r));
        });
        add(() -> pick("bzhi", "bextr", "shlx", "sarx", "shrx") + " " + reg(32) + ", " + rm(32) + ", " + reg(32));
        add(() -> "rorx " + reg(32) + ", " + rm(32) + ", " + imm(8));
        add(() -> pick("blsr", "blsi", "blsmsk") + " " + reg(32) + ", " + rm(32));
        add(() -> {
            String z = "zmm" + rnd.nextInt(long64() ? 32 : 8);
            return pick("vpaddd", "vpxord", "vaddps", "vpandq", "vmulpd") + " " + z + ", " + z + ", " + pick("zmm1", mem());
        });
        add(() -> pick("vmovdqu64", "vmovdqa32", "vmovups") + " " + (rnd.nextBoolean() ? "zmm2, " + mem() : mem() + ", zmm3"));
        add(() -> "vpternlogd zmm1, zmm2, " + pick("zmm3", mem()) + ", " + imm(8));
    }
}
