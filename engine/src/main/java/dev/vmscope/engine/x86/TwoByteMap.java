package dev.vmscope.engine.x86;

/**
 * The 0F opcode map (SDM table A-3): system instructions and groups 6-9, 15, 16 here; the SSE/MMX cells are
 * filled in by {@link SseMap}. 0F 38 and 0F 3A are escapes to {@link SseMap#MAP_38}/{@link SseMap#MAP_3A},
 * 0F 0F (3DNow!) is length-decoded by the decoder.
 */
final class TwoByteMap {
    static final Opcode[] TABLE = new Opcode[256];

    private TwoByteMap() {
    }

    static {
        Opcode[] t = TABLE;
        t[0x00] = Opcode.group("sldt Ev/w", "str Ev/w", "lldt Ew", "ltr Ew", "verr Ew", "verw Ew", null, null);
        t[0x01] = group7();
        t[0x02] = Opcode.of("lar Gv,Ev/w");
        t[0x03] = Opcode.of("lsl Gv,Ev/w");
        t[0x05] = Opcode.of("syscall");
        t[0x06] = Opcode.of("clts");
        t[0x07] = Opcode.of("sysret|sysret|sysretq");
        t[0x08] = Opcode.of("invd");
        t[0x09] = Opcode.rep(Opcode.of("wbinvd"), Opcode.of("wbnoinvd"), Opcode.of("wbinvd"));
        t[0x0B] = Opcode.of("ud2");
        t[0x0D] = Opcode.group("prefetch Mm", "prefetchw Mm", "prefetchwt1 Mm", "prefetch Mm",
                "prefetch Mm", "prefetch Mm", "prefetch Mm", "prefetch Mm");
        t[0x0E] = Opcode.of("femms");
        // hint nops: every ModRM form is a valid nop, some named by newer extensions
        Opcode nop = Opcode.of("nop Ev");
        t[0x18] = Opcode.group(Opcode.cells("prefetchnta Mm", "prefetcht0 Mm", "prefetcht1 Mm", "prefetcht2 Mm",
                "nop Ev", "nop Ev", "nop Ev", "nop Ev"), Opcode.same(nop, 8));
        for (int op = 0x19; op <= 0x1F; op++) {
            t[op] = nop;
        }
        Opcode[] endbr = Opcode.same(nop, 64);
        endbr[0x3A] = Opcode.of("endbr64");
        endbr[0x3B] = Opcode.of("endbr32");
        t[0x1E] = Opcode.rep(nop, Opcode.group(Opcode.same(nop, 8), endbr), nop);
        t[0x20] = Opcode.of("mov Rc,Cc !reg");
        t[0x21] = Opcode.of("mov Rc,Dc !reg");
        t[0x22] = Opcode.of("mov Cc,Rc !reg");
        t[0x23] = Opcode.of("mov Dc,Rc !reg");
        t[0x30] = Opcode.of("wrmsr");
        t[0x31] = Opcode.of("rdtsc");
        t[0x32] = Opcode.of("rdmsr");
        t[0x33] = Opcode.of("rdpmc");
        t[0x34] = Opcode.of("sysenter");
        t[0x35] = Opcode.of("sysexit|sysexit|sysexitq");
        t[0x37] = Opcode.of("getsec");
        for (int c = 0; c < 16; c++) {
            String cc = OneByteMap.cc(c);
            t[0x40 + c] = Opcode.of("cmov" + cc + " Gv,Ev");
            t[0x80 + c] = Opcode.of("j" + cc + " Jz !f64");
            t[0x90 + c] = Opcode.of("set" + cc + " Eb");
        }
        t[0xA0] = Opcode.of("push fs !d64");
        t[0xA1] = Opcode.of("pop fs !d64");
        t[0xA2] = Opcode.of("cpuid");
        t[0xA3] = Opcode.of("bt Ev,Gv");
        t[0xA4] = Opcode.of("shld Ev,Gv,Ib");
        t[0xA5] = Opcode.of("shld Ev,Gv,cl");
        t[0xA8] = Opcode.of("push gs !d64");
        t[0xA9] = Opcode.of("pop gs !d64");
        t[0xAA] = Opcode.of("rsm");
        t[0xAB] = Opcode.of("bts Ev,Gv");
        t[0xAC] = Opcode.of("shrd Ev,Gv,Ib");
        t[0xAD] = Opcode.of("shrd Ev,Gv,cl");
        t[0xAE] = group15();
        t[0xAF] = Opcode.of("imul Gv,Ev");
        t[0xB0] = Opcode.of("cmpxchg Eb,Gb");
        t[0xB1] = Opcode.of("cmpxchg Ev,Gv");
        t[0xB2] = Opcode.of("lss Gv,Mp");
        t[0xB3] = Opcode.of("btr Ev,Gv");
        t[0xB4] = Opcode.of("lfs Gv,Mp");
        t[0xB5] = Opcode.of("lgs Gv,Mp");
        t[0xB6] = Opcode.of("movzx Gv,Eb");
        t[0xB7] = Opcode.of("movzx Gv,Ew");
        t[0xB8] = Opcode.rep(null, Opcode.of("popcnt Gv,Ev"), null);
        t[0xB9] = Opcode.of("ud1 Gv,Ev");
        t[0xBA] = Opcode.group(null, null, null, null, "bt Ev,Ib", "bts Ev,Ib", "btr Ev,Ib", "btc Ev,Ib");
        t[0xBB] = Opcode.of("btc Ev,Gv");
        t[0xBC] = Opcode.rep(Opcode.of("bsf Gv,Ev"), Opcode.of("tzcnt Gv,Ev"), Opcode.of("bsf Gv,Ev"));
        t[0xBD] = Opcode.rep(Opcode.of("bsr Gv,Ev"), Opcode.of("lzcnt Gv,Ev"), Opcode.of("bsr Gv,Ev"));
        t[0xBE] = Opcode.of("movsx Gv,Eb");
        t[0xBF] = Opcode.of("movsx Gv,Ew");
        t[0xC0] = Opcode.of("xadd Eb,Gb");
        t[0xC1] = Opcode.of("xadd Ev,Gv");
        t[0xC7] = group9();
        for (int r = 0; r < 8; r++) {
            t[0xC8 + r] = Opcode.of("bswap Zy");
        }
        t[0xFF] = Opcode.of("ud0 Gv,Ev");   // Intel: with ModRM (some disassemblers take ud0 as 2 bytes)
        SseMap.fill(t);
    }

    /** 0F 01: descriptor tables and, in the register forms, one instruction per ModRM byte (VMX, SVM, ...). */
    private static Opcode group7() {
        Opcode[] memory = Opcode.cells("sgdt Ms", "sidt Ms", "lgdt Ms", "lidt Ms", "smsw Ew", null, "lmsw Ew",
                "invlpg Mm");
        memory[5] = Opcode.sse(null, null, Opcode.of("rstorssp Mq"), null);
        Opcode[] register = new Opcode[64];
        String[] named = {
            "C0 enclv", "C1 vmcall", "C2 vmlaunch", "C3 vmresume", "C4 vmxoff", "C5 pconfig",
            "C8 monitor", "C9 mwait", "CA clac", "CB stac",
            "D0 xgetbv", "D1 xsetbv", "D4 vmfunc", "D5 xend", "D6 xtest", "D7 enclu",
            "D8 vmrun", "DA vmload", "DB vmsave", "DC stgi", "DD clgi", "DE skinit", "DF invlpga",
            "F8 swapgs !o64", "F9 rdtscp", "FA monitorx", "FB mwaitx", "FC clzero", "FD rdpru",
        };
        for (String s : named) {
            register[Integer.parseInt(s.substring(0, 2), 16) & 0x3F] = Opcode.of(s.substring(3));
        }
        // prefix-selected register forms: TDX (66), CET/UINTR (F3), SEV-SNP (F3/F2), TSX ldtrk (F2)
        register[0x06] = Opcode.sse(Opcode.of("wrmsrns"), null, Opcode.of("wrmsrlist"), Opcode.of("rdmsrlist"));
        register[0x0C] = Opcode.sse(null, Opcode.of("tdcall"), null, null);
        register[0x0D] = Opcode.sse(null, Opcode.of("seamret"), null, null);
        register[0x0E] = Opcode.sse(null, Opcode.of("seamops"), null, null);
        register[0x0F] = Opcode.sse(Opcode.of("encls"), Opcode.of("seamcall"), null, null);
        register[0x28] = Opcode.sse(Opcode.of("serialize"), null, Opcode.of("setssbsy"), Opcode.of("xsusldtrk"));
        register[0x29] = Opcode.sse(null, null, null, Opcode.of("xresldtrk"));
        register[0x2A] = Opcode.sse(null, null, Opcode.of("saveprevssp"), null);
        register[0x2C] = Opcode.sse(null, null, Opcode.of("uiret"), null);
        register[0x2D] = Opcode.sse(null, null, Opcode.of("testui"), null);
        register[0x2E] = Opcode.sse(Opcode.of("rdpkru"), null, Opcode.of("clui"), null);
        register[0x2F] = Opcode.sse(Opcode.of("wrpkru"), null, Opcode.of("stui"), null);
        register[0x19] = Opcode.rep(Opcode.of("vmmcall"), Opcode.of("vmgexit"), Opcode.of("vmgexit"));   // SEV-ES
        register[0x3E] = Opcode.rep(Opcode.of("invlpgb"), Opcode.of("rmpadjust"), Opcode.of("rmpupdate"));
        register[0x3F] = Opcode.rep(Opcode.of("tlbsync"), Opcode.of("psmash"), Opcode.of("pvalidate"));
        Opcode smsw = Opcode.of("smsw Rv");
        Opcode lmsw = Opcode.of("lmsw Rw");
        for (int rm = 0; rm < 8; rm++) {
            register[0x20 + rm] = smsw;
            register[0x30 + rm] = lmsw;
        }
        return Opcode.group(memory, register);
    }

    /** 0F AE: FPU/SSE/XSAVE state, cache-line flushes and, register forms, fences and FS/GS base. */
    private static Opcode group15() {
        Opcode[] memory = Opcode.cells("fxsave|fxsave|fxsave64 Mm", "fxrstor|fxrstor|fxrstor64 Mm",
                "ldmxcsr Md", "stmxcsr Md", "xsave|xsave|xsave64 Mm", "xrstor|xrstor|xrstor64 Mm", null, null);
        memory[6] = Opcode.sse(Opcode.of("xsaveopt|xsaveopt|xsaveopt64 Mm"), Opcode.of("clwb Mm"), null, null);
        memory[7] = Opcode.sse(Opcode.of("clflush Mm"), Opcode.of("clflushopt Mm"), null, null);
        Opcode[] register = new Opcode[8];
        String[] base = {"rdfsbase", "rdgsbase", "wrfsbase", "wrgsbase"};
        for (int r = 0; r < 4; r++) {
            register[r] = Opcode.rep(null, Opcode.of(base[r] + " Ry !o64"), null);
        }
        register[5] = Opcode.of("lfence");
        register[6] = Opcode.sse(Opcode.of("mfence"), Opcode.of("tpause Rd"), Opcode.of("umonitor Rv"),
                Opcode.of("umwait Rd"));
        register[7] = Opcode.of("sfence");
        return Opcode.group(memory, register);
    }

    /** 0F C7: cmpxchg8b/16b, XSAVE variants, VMCS pointers; register forms rdrand/rdseed/rdpid. */
    private static Opcode group9() {
        Opcode[] memory = Opcode.cells(null, "cmpxchg8b|cmpxchg8b|cmpxchg16b Mk", null,
                "xrstors|xrstors|xrstors64 Mm", "xsavec|xsavec|xsavec64 Mm", "xsaves|xsaves|xsaves64 Mm",
                null, null);
        memory[6] = Opcode.sse(Opcode.of("vmptrld Mq"), Opcode.of("vmclear Mq"), Opcode.of("vmxon Mq"), null);
        memory[7] = Opcode.sse(Opcode.of("vmptrst Mq"), null, null, null);
        Opcode[] register = new Opcode[8];
        register[6] = Opcode.of("rdrand Rv");
        register[7] = Opcode.rep(Opcode.of("rdseed Rv"), Opcode.of("rdpid Rc"), null);
        return Opcode.group(memory, register);
    }
}
