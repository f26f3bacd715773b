package dev.vmscope.engine.x86;

/**
 * The x87 escapes D8-DF (SDM table ): every form is ModRM-based, so the length never depends on the
 * name; the names follow NASM ("fnstsw", "fcomip"), register forms print st0/st(i) explicitly.
 */
final class X87Map {
    private X87Map() {
    }

    private static final String[][] MEMORY = {
        {"fadd Md", "fmul Md", "fcom Md", "fcomp Md", "fsub Md", "fsubr Md", "fdiv Md", "fdivr Md"},
        {"fld Md", null, "fst Md", "fstp Md", "fldenv Mm", "fldcw Mw", "fnstenv Mm", "fnstcw Mw"},
        {"fiadd Md", "fimul Md", "ficom Md", "ficomp Md", "fisub Md", "fisubr Md", "fidiv Md", "fidivr Md"},
        {"fild Md", "fisttp Md", "fist Md", "fistp Md", null, "fld Mt", null, "fstp Mt"},
        {"fadd Mq", "fmul Mq", "fcom Mq", "fcomp Mq", "fsub Mq", "fsubr Mq", "fdiv Mq", "fdivr Mq"},
        {"fld Mq", "fisttp Mq", "fst Mq", "fstp Mq", "frstor Mm", null, "fnsave Mm", "fnstsw Mw"},
        {"fiadd Mw", "fimul Mw", "ficom Mw", "ficomp Mw", "fisub Mw", "fisubr Mw", "fidiv Mw", "fidivr Mw"},
        {"fild Mw", "fisttp Mw", "fist Mw", "fistp Mw", "fbld Mt", "fild Mq", "fbstp Mt", "fistp Mq"},
    };

    /** Register forms by reg field: "name ops" applied to all 8 st(i), or null when listed per ModRM below. */
    private static final String[][] REGISTER = {
        {"fadd st0,sti", "fmul st0,sti", "fcom st0,sti", "fcomp st0,sti",
         "fsub st0,sti", "fsubr st0,sti", "fdiv st0,sti", "fdivr st0,sti"},
        {"fld sti", "fxch sti", null, null, null, null, null, null},
        {"fcmovb st0,sti", "fcmove st0,sti", "fcmovbe st0,sti", "fcmovu st0,sti", null, null, null, null},
        {"fcmovnb st0,sti", "fcmovne st0,sti", "fcmovnbe st0,sti", "fcmovnu st0,sti", null,
         "fucomi st0,sti", "fcomi st0,sti", null},
        {"fadd sti,st0", "fmul sti,st0", "fcom sti", "fcomp sti",
         "fsubr sti,st0", "fsub sti,st0", "fdivr sti,st0", "fdiv sti,st0"},
        {"ffree sti", "fxch sti", "fst sti", "fstp sti", "fucom sti", "fucomp sti", null, null},
        {"faddp sti,st0", "fmulp sti,st0", "fcomp sti", null,
         "fsubrp sti,st0", "fsubp sti,st0", "fdivrp sti,st0", "fdivp sti,st0"},
        {"ffreep sti", "fxch sti", "fstp sti", "fstp sti", null, "fucomip st0,sti", "fcomip st0,sti", null},
    };

    /** D9 register forms that are single instructions, as "ModRM name". */
    private static final String[] D9_SPECIAL = {
        "D0 fnop", "E0 fchs", "E1 fabs", "E4 ftst", "E5 fxam", "E8 fld1", "E9 fldl2t", "EA fldl2e", "EB fldpi",
        "EC fldlg2", "ED fldln2", "EE fldz", "F0 f2xm1", "F1 fyl2x", "F2 fptan", "F3 fpatan", "F4 fxtract",
        "F5 fprem1", "F6 fdecstp", "F7 fincstp", "F8 fprem", "F9 fyl2xp1", "FA fsqrt", "FB fsincos",
        "FC frndint", "FD fscale", "FE fsin", "FF fcos",
    };

    /** The group for escape byte D8 + {@code index}. */
    static Opcode escape(int index) {
        Opcode[] memory = Opcode.cells(MEMORY[index]);
        Opcode[] register = new Opcode[64];
        for (int reg = 0; reg < 8; reg++) {
            Opcode op = Opcode.of(REGISTER[index][reg]);
            for (int rm = 0; rm < 8; rm++) {
                register[reg * 8 + rm] = op;
            }
        }
        switch (index) {
            case 1 -> {
                for (String s : D9_SPECIAL) {
                    register[Integer.parseInt(s.substring(0, 2), 16) & 0x3F] = Opcode.of(s.substring(3));
                }
            }
            case 2 -> register[0x29] = Opcode.of("fucompp");
            case 3 -> {
                register[0x20] = Opcode.of("fneni");    // 8087 leftovers, no-ops since the 387
                register[0x21] = Opcode.of("fndisi");
                register[0x22] = Opcode.of("fnclex");
                register[0x23] = Opcode.of("fninit");
                register[0x24] = Opcode.of("fnsetpm");
            }
            case 6 -> register[0x19] = Opcode.of("fcompp");
            case 7 -> register[0x20] = Opcode.of("fnstsw ax");
            default -> {
            }
        }
        return Opcode.group(memory, register);
    }
}
