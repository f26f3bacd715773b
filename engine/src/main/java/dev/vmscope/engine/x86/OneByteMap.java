package dev.vmscope.engine.x86;

/**
 * The one-byte opcode map (Intel SDM vol. 2 table A-2) with groups 1-5 and 11, for 16/32-bit and for 64-bit
 * mode. Prefix bytes, 0F and the VEX/EVEX escapes are handled by the decoder before these tables are consulted;
 * their cells here are null.
 */
final class OneByteMap {
    static final Opcode[] LEGACY = new Opcode[256];
    static final Opcode[] LONG = new Opcode[256];

    /** 90 with REX.B is a real exchange with r8, not nop. */
    static final Opcode XCHG_R8 = Opcode.of("xchg eAX,Zv");

    private static final String[] ALU = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
    private static final String[] CC = {"o", "no", "c", "nc", "z", "nz", "na", "a",
                                        "s", "ns", "pe", "po", "l", "nl", "ng", "g"};

    private OneByteMap() {
    }

    static String cc(int n) {
        return CC[n & 15];
    }

    static {
        Opcode[] t = LEGACY;
        for (int i = 0; i < 8; i++) {
            String m = ALU[i];
            int b = i * 8;
            t[b] = Opcode.of(m + " Eb,Gb");
            t[b + 1] = Opcode.of(m + " Ev,Gv");
            t[b + 2] = Opcode.of(m + " Gb,Eb");
            t[b + 3] = Opcode.of(m + " Gv,Ev");
            t[b + 4] = Opcode.of(m + " al,Ib");
            t[b + 5] = Opcode.of(m + " eAX,Iz");
        }
        t[0x06] = Opcode.of("push es !i64");
        t[0x07] = Opcode.of("pop es !i64");
        t[0x0E] = Opcode.of("push cs !i64");
        t[0x16] = Opcode.of("push ss !i64");
        t[0x17] = Opcode.of("pop ss !i64");
        t[0x1E] = Opcode.of("push ds !i64");
        t[0x1F] = Opcode.of("pop ds !i64");
        t[0x27] = Opcode.of("daa !i64");
        t[0x2F] = Opcode.of("das !i64");
        t[0x37] = Opcode.of("aaa !i64");
        t[0x3F] = Opcode.of("aas !i64");
        for (int r = 0; r < 8; r++) {
            t[0x40 + r] = Opcode.of("inc Zv !i64");
            t[0x48 + r] = Opcode.of("dec Zv !i64");
            t[0x50 + r] = Opcode.of("push Zv !d64");
            t[0x58 + r] = Opcode.of("pop Zv !d64");
            t[0x90 + r] = Opcode.of("xchg eAX,Zv");
            t[0xB0 + r] = Opcode.of("mov Zb,Ib");
            t[0xB8 + r] = Opcode.of("mov Zv,Iv");
        }
        t[0x60] = Opcode.of("pusha|pushad !i64");
        t[0x61] = Opcode.of("popa|popad !i64");
        t[0x62] = Opcode.of("bound Gv,Mm !i64");
        t[0x63] = Opcode.of("arpl Ew,Gw !i64");
        t[0x68] = Opcode.of("push Iz !d64");
        t[0x69] = Opcode.of("imul Gv,Ev,Iz");
        t[0x6A] = Opcode.of("push Ibs !d64");
        t[0x6B] = Opcode.of("imul Gv,Ev,Ibs");
        t[0x6C] = Opcode.of("insb !iostr");
        t[0x6D] = Opcode.of("insw|insd !iostr");
        t[0x6E] = Opcode.of("outsb !iostr");
        t[0x6F] = Opcode.of("outsw|outsd !iostr");
        for (int c = 0; c < 16; c++) {
            t[0x70 + c] = Opcode.of("j" + CC[c] + " Jb !f64");
        }
        t[0x80] = group1("Eb,Ib", "");
        t[0x81] = group1("Ev,Iz", "");
        t[0x82] = group1("Eb,Ib", " !i64");
        t[0x83] = group1("Ev,Ibs", "");
        t[0x84] = Opcode.of("test Eb,Gb");
        t[0x85] = Opcode.of("test Ev,Gv");
        t[0x86] = Opcode.of("xchg Gb,Eb");
        t[0x87] = Opcode.of("xchg Gv,Ev");
        t[0x88] = Opcode.of("mov Eb,Gb");
        t[0x89] = Opcode.of("mov Ev,Gv");
        t[0x8A] = Opcode.of("mov Gb,Eb");
        t[0x8B] = Opcode.of("mov Gv,Ev");
        t[0x8C] = Opcode.of("mov Ev/w,Sw");
        t[0x8D] = Opcode.of("lea Gv,Mm");
        t[0x8E] = Opcode.of("mov Sw,Ev/w");
        t[0x8F] = Opcode.group("pop Ev !d64", null, null, null, null, null, null, null);
        t[0x90] = Opcode.rep(Opcode.of("nop"), Opcode.of("pause"), Opcode.of("nop"));
        t[0x98] = Opcode.of("cbw|cwde|cdqe");
        t[0x99] = Opcode.of("cwd|cdq|cqo");
        t[0x9A] = Opcode.of("call Ap !i64");
        t[0x9B] = Opcode.of("wait");
        t[0x9C] = Opcode.of("pushf|pushfd|pushfq !d64");
        t[0x9D] = Opcode.of("popf|popfd|popfq !d64");
        t[0x9E] = Opcode.of("sahf");
        t[0x9F] = Opcode.of("lahf");
        t[0xA0] = Opcode.of("mov al,Ob");
        t[0xA1] = Opcode.of("mov eAX,Ov");
        t[0xA2] = Opcode.of("mov Ob,al");
        t[0xA3] = Opcode.of("mov Ov,eAX");
        t[0xA4] = Opcode.of("movsb !rep");
        t[0xA5] = Opcode.of("movsw|movsd|movsq !rep");
        t[0xA6] = Opcode.of("cmpsb !repe");
        t[0xA7] = Opcode.of("cmpsw|cmpsd|cmpsq !repe");
        t[0xA8] = Opcode.of("test al,Ib");
        t[0xA9] = Opcode.of("test eAX,Iz");
        t[0xAA] = Opcode.of("stosb !rep");
        t[0xAB] = Opcode.of("stosw|stosd|stosq !rep");
        t[0xAC] = Opcode.of("lodsb !rep");
        t[0xAD] = Opcode.of("lodsw|lodsd|lodsq !rep");
        t[0xAE] = Opcode.of("scasb !repe");
        t[0xAF] = Opcode.of("scasw|scasd|scasq !repe");
        t[0xC0] = group2("Eb,Ib");
        t[0xC1] = group2("Ev,Ib");
        t[0xC2] = Opcode.of("ret Iw !f64");
        t[0xC3] = Opcode.of("ret !f64");
        t[0xC4] = Opcode.of("les Gz,Mp !i64");
        t[0xC5] = Opcode.of("lds Gz,Mp !i64");
        t[0xC6] = group11("mov Eb,Ib", "xabort Ib");
        t[0xC7] = group11("mov Ev,Iz", "xbegin Jz");
        t[0xC8] = Opcode.of("enter Iw,Ib !d64");
        t[0xC9] = Opcode.of("leave !d64");
        t[0xCA] = Opcode.of("retf|retf|retfq Iw");
        t[0xCB] = Opcode.of("retf|retf|retfq");
        t[0xCC] = Opcode.of("int3");
        t[0xCD] = Opcode.of("int Ib");
        t[0xCE] = Opcode.of("into !i64");
        t[0xCF] = Opcode.of("iret|iretd|iretq");
        t[0xD0] = group2("Eb,1");
        t[0xD1] = group2("Ev,1");
        t[0xD2] = group2("Eb,cl");
        t[0xD3] = group2("Ev,cl");
        t[0xD4] = Opcode.of("aam Ib !i64");
        t[0xD5] = Opcode.of("aad Ib !i64");
        t[0xD6] = Opcode.of("salc !i64");
        t[0xD7] = Opcode.of("xlatb");
        for (int i = 0; i < 8; i++) {
            t[0xD8 + i] = X87Map.escape(i);
        }
        t[0xE0] = Opcode.of("loopne Jb !f64");
        t[0xE1] = Opcode.of("loope Jb !f64");
        t[0xE2] = Opcode.of("loop Jb !f64");
        t[0xE3] = Opcode.of("jcxz|jecxz|jrcxz Jb !f64 !asz");
        t[0xE4] = Opcode.of("in al,Ib !io");
        t[0xE5] = Opcode.of("in eAXz,Ib !io");
        t[0xE6] = Opcode.of("out Ib,al !io");
        t[0xE7] = Opcode.of("out Ib,eAXz !io");
        t[0xE8] = Opcode.of("call Jz !f64");
        t[0xE9] = Opcode.of("jmp Jz !f64");
        t[0xEA] = Opcode.of("jmp Ap !i64");
        t[0xEB] = Opcode.of("jmp Jb !f64");
        t[0xEC] = Opcode.of("in al,dx !io");
        t[0xED] = Opcode.of("in eAXz,dx !io");
        t[0xEE] = Opcode.of("out dx,al !io");
        t[0xEF] = Opcode.of("out dx,eAXz !io");
        t[0xF1] = Opcode.of("int1");
        t[0xF4] = Opcode.of("hlt");
        t[0xF5] = Opcode.of("cmc");
        t[0xF6] = group3("Eb", "Ib");
        t[0xF7] = group3("Ev", "Iz");
        t[0xF8] = Opcode.of("clc");
        t[0xF9] = Opcode.of("stc");
        t[0xFA] = Opcode.of("cli");
        t[0xFB] = Opcode.of("sti");
        t[0xFC] = Opcode.of("cld");
        t[0xFD] = Opcode.of("std");
        t[0xFE] = Opcode.group("inc Eb", "dec Eb", null, null, null, null, null, null);
        t[0xFF] = Opcode.group("inc Ev", "dec Ev", "call Ev !f64", "call Mf", "jmp Ev !f64", "jmp Mf",
                "push Ev !d64", null);

        System.arraycopy(LEGACY, 0, LONG, 0, 256);
        for (int r = 0; r < 16; r++) {
            LONG[0x40 + r] = null;   // REX prefixes
        }
        LONG[0x63] = Opcode.of("movsxd Gv,Ed");
    }

    private static Opcode group1(String ops, String flags) {
        String[] specs = new String[8];
        for (int i = 0; i < 8; i++) {
            specs[i] = ALU[i] + " " + ops + flags;
        }
        return Opcode.group(specs);
    }

    private static Opcode group2(String ops) {
        String[] names = {"rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"};
        String[] specs = new String[8];
        for (int i = 0; i < 8; i++) {
            specs[i] = names[i] + " " + ops;
        }
        return Opcode.group(specs);
    }

    private static Opcode group3(String e, String imm) {
        // /1 is an undocumented alias of test that the CPU executes (with its immediate)
        return Opcode.group("test " + e + "," + imm, "test " + e + "," + imm, "not " + e, "neg " + e,
                "mul " + e, "imul " + e, "div " + e, "idiv " + e);
    }

    /** C6/C7: mov with immediate; the only register form besides mov is xabort/xbegin at ModRM F8. */
    private static Opcode group11(String mov, String tsx) {
        Opcode[] memory = Opcode.cells(mov, null, null, null, null, null, null, null);
        Opcode[] register = new Opcode[64];
        for (int rm = 0; rm < 8; rm++) {
            register[rm] = memory[0];
        }
        register[0x38] = Opcode.of(tsx);
        return Opcode.group(memory, register);
    }
}
