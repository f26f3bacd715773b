package dev.vmscope.engine.x86;

/**
 * MMX/SSE cells of the 0F map and the 0F 38 / 0F 3A maps, selected by mandatory prefix (none, 66, F3, F2).
 * Operands use the SDM notation; "H" is the VEX.vvvv source, left out of legacy encodings. Cells of 0F 38 and
 * 0F 3A that are not named here still decode with the right length, as "(sse)": their layout is fixed by the
 * map (ModRM, plus an imm8 in 0F 3A).
 */
final class SseMap {
    static final Opcode[] MAP_38 = new Opcode[256];
    static final Opcode[] MAP_3A = new Opcode[256];

    private SseMap() {
    }

    /** Instructions with an MMX form (no prefix: mm, mm/m64) and an SSE2 form (66: xmm, xmm/m128). */
    private static final String[] MMX_SSE2 = {
        "60 punpcklbw", "61 punpcklwd", "62 punpckldq", "63 packsswb", "64 pcmpgtb", "65 pcmpgtw", "66 pcmpgtd",
        "67 packuswb", "68 punpckhbw", "69 punpckhwd", "6A punpckhdq", "6B packssdw",
        "74 pcmpeqb", "75 pcmpeqw", "76 pcmpeqd",
        "D1 psrlw", "D2 psrld", "D3 psrlq", "D4 paddq", "D5 pmullw", "D8 psubusb", "D9 psubusw", "DA pminub",
        "DB pand", "DC paddusb", "DD paddusw", "DE pmaxub", "DF pandn", "E0 pavgb", "E1 psraw", "E2 psrad",
        "E3 pavgw", "E4 pmulhuw", "E5 pmulhw", "E8 psubsb", "E9 psubsw", "EA pminsw", "EB por", "EC paddsb",
        "ED paddsw", "EE pmaxsw", "EF pxor", "F1 psllw", "F2 pslld", "F3 psllq", "F4 pmuludq", "F5 pmaddwd",
        "F6 psadbw", "F8 psubb", "F9 psubw", "FA psubd", "FB psubq", "FC paddb", "FD paddw", "FE paddd",
    };

    /** Arithmetic in four flavours: ps (none), pd (66), ss (F3), sd (F2). */
    private static final String[] ARITH = {
        "51 sqrt", "58 add", "59 mul", "5C sub", "5D min", "5E div", "5F max",
    };

    /** SSSE3 in 0F 38, MMX and SSE forms like {@link #MMX_SSE2}. */
    private static final String[] SSSE3 = {
        "00 pshufb", "01 phaddw", "02 phaddd", "03 phaddsw", "04 pmaddubsw", "05 phsubw", "06 phsubd",
        "07 phsubsw", "08 psignb", "09 psignw", "0A psignd", "0B pmulhrsw", "1C pabsb", "1D pabsw", "1E pabsd",
    };

    /** 66 0F 38 cells: "opcode spec". */
    private static final String[] MAP_38_66 = {
        "10 pblendvb Vx,Wx,xmm0", "14 blendvps Vx,Wx,xmm0", "15 blendvpd Vx,Wx,xmm0", "17 ptest Vx,Wx",
        "20 pmovsxbw Vx,Wq", "21 pmovsxbd Vx,Wd", "22 pmovsxbq Vx,Ww", "23 pmovsxwd Vx,Wq", "24 pmovsxwq Vx,Wd",
        "25 pmovsxdq Vx,Wq", "28 pmuldq Vx,Hx,Wx", "29 pcmpeqq Vx,Hx,Wx", "2A movntdqa Vx,Mx",
        "2B packusdw Vx,Hx,Wx",
        "30 pmovzxbw Vx,Wq", "31 pmovzxbd Vx,Wd", "32 pmovzxbq Vx,Ww", "33 pmovzxwd Vx,Wq", "34 pmovzxwq Vx,Wd",
        "35 pmovzxdq Vx,Wq", "37 pcmpgtq Vx,Hx,Wx", "38 pminsb Vx,Hx,Wx", "39 pminsd Vx,Hx,Wx",
        "3A pminuw Vx,Hx,Wx", "3B pminud Vx,Hx,Wx", "3C pmaxsb Vx,Hx,Wx", "3D pmaxsd Vx,Hx,Wx",
        "3E pmaxuw Vx,Hx,Wx", "3F pmaxud Vx,Hx,Wx", "40 pmulld Vx,Hx,Wx", "41 phminposuw Vx,Wx",
        "80 invept Gc,Mo", "81 invvpid Gc,Mo", "82 invpcid Gc,Mo", "CF gf2p8mulb Vx,Hx,Wx",
        "DB aesimc Vx,Wx", "DC aesenc Vx,Hx,Wx", "DD aesenclast Vx,Hx,Wx", "DE aesdec Vx,Hx,Wx",
        "DF aesdeclast Vx,Hx,Wx",
    };

    /** 66 0F 3A cells (all with imm8). */
    private static final String[] MAP_3A_66 = {
        "08 roundps Vx,Wx,Ib", "09 roundpd Vx,Wx,Ib", "0A roundss Vx,Hx,Wd,Ib", "0B roundsd Vx,Hx,Wq,Ib",
        "0C blendps Vx,Hx,Wx,Ib", "0D blendpd Vx,Hx,Wx,Ib", "0E pblendw Vx,Hx,Wx,Ib", "0F palignr Vx,Hx,Wx,Ib",
        "14 pextrb Ed/b,Vx,Ib", "15 pextrw Ed/w,Vx,Ib", "16 pextrd|pextrd|pextrq Ey,Vx,Ib",
        "17 extractps Ed,Vx,Ib", "20 pinsrb Vx,Hx,Ed/b,Ib", "21 insertps Vx,Hx,Wd,Ib",
        "22 pinsrd|pinsrd|pinsrq Vx,Hx,Ey,Ib", "40 dpps Vx,Hx,Wx,Ib", "41 dppd Vx,Hx,Wx,Ib",
        "42 mpsadbw Vx,Hx,Wx,Ib", "44 pclmulqdq Vx,Hx,Wx,Ib", "60 pcmpestrm Vx,Wx,Ib", "61 pcmpestri Vx,Wx,Ib",
        "62 pcmpistrm Vx,Wx,Ib", "63 pcmpistri Vx,Wx,Ib", "CE gf2p8affineqb Vx,Hx,Wx,Ib",
        "CF gf2p8affineinvqb Vx,Hx,Wx,Ib", "DF aeskeygenassist Vx,Wx,Ib",
    };

    static {   // after the spec arrays above: static initialisation runs in text order
        fillMap38();
        fillMap3A();
    }

    /** Fills the SSE/MMX cells of the 0F map {@code t}. */
    static void fill(Opcode[] t) {
        row(t, 0x10, "movups Vx,Wx", "movupd Vx,Wx", "movss Vx,Wd", "movsd Vx,Wq");
        row(t, 0x11, "movups Wx,Vx", "movupd Wx,Vx", "movss Wd,Vx", "movsd Wq,Vx");
        t[0x12] = Opcode.sse(memOrReg("movlps Vx,Hx,Mq", "movhlps Vx,Hx,Ux"), Opcode.of("movlpd Vx,Hx,Mq"),
                Opcode.of("movsldup Vx,Wx"), Opcode.of("movddup Vx,Wq"));
        row(t, 0x13, "movlps Mq,Vx", "movlpd Mq,Vx", null, null);
        row(t, 0x14, "unpcklps Vx,Hx,Wx", "unpcklpd Vx,Hx,Wx", null, null);
        row(t, 0x15, "unpckhps Vx,Hx,Wx", "unpckhpd Vx,Hx,Wx", null, null);
        t[0x16] = Opcode.sse(memOrReg("movhps Vx,Hx,Mq", "movlhps Vx,Hx,Ux"), Opcode.of("movhpd Vx,Hx,Mq"),
                Opcode.of("movshdup Vx,Wx"), null);
        row(t, 0x17, "movhps Mq,Vx", "movhpd Mq,Vx", null, null);
        row(t, 0x28, "movaps Vx,Wx", "movapd Vx,Wx", null, null);
        row(t, 0x29, "movaps Wx,Vx", "movapd Wx,Vx", null, null);
        row(t, 0x2A, "cvtpi2ps Vx,Qq", "cvtpi2pd Vx,Qq", "cvtsi2ss Vx,Hx,Ey", "cvtsi2sd Vx,Hx,Ey");
        row(t, 0x2B, "movntps Mx,Vx", "movntpd Mx,Vx", null, null);
        row(t, 0x2C, "cvttps2pi Pq,Wq", "cvttpd2pi Pq,Wx", "cvttss2si Gy,Wd", "cvttsd2si Gy,Wq");
        row(t, 0x2D, "cvtps2pi Pq,Wq", "cvtpd2pi Pq,Wx", "cvtss2si Gy,Wd", "cvtsd2si Gy,Wq");
        row(t, 0x2E, "ucomiss Vx,Wd", "ucomisd Vx,Wq", null, null);
        row(t, 0x2F, "comiss Vx,Wd", "comisd Vx,Wq", null, null);
        row(t, 0x50, "movmskps Gd,Ux", "movmskpd Gd,Ux", null, null);
        for (String a : ARITH) {
            String m = a.substring(3);
            row(t, hex(a), m + "ps Vx,Hx,Wx", m + "pd Vx,Hx,Wx", m + "ss Vx,Hx,Wd", m + "sd Vx,Hx,Wq");
        }
        t[0x51] = Opcode.sse(Opcode.of("sqrtps Vx,Wx"), Opcode.of("sqrtpd Vx,Wx"), Opcode.of("sqrtss Vx,Hx,Wd"),
                Opcode.of("sqrtsd Vx,Hx,Wq"));
        row(t, 0x52, "rsqrtps Vx,Wx", null, "rsqrtss Vx,Hx,Wd", null);
        row(t, 0x53, "rcpps Vx,Wx", null, "rcpss Vx,Hx,Wd", null);
        row(t, 0x54, "andps Vx,Hx,Wx", "andpd Vx,Hx,Wx", null, null);
        row(t, 0x55, "andnps Vx,Hx,Wx", "andnpd Vx,Hx,Wx", null, null);
        row(t, 0x56, "orps Vx,Hx,Wx", "orpd Vx,Hx,Wx", null, null);
        row(t, 0x57, "xorps Vx,Hx,Wx", "xorpd Vx,Hx,Wx", null, null);
        row(t, 0x5A, "cvtps2pd Vx,Wq", "cvtpd2ps Vx,Wx", "cvtss2sd Vx,Hx,Wd", "cvtsd2ss Vx,Hx,Wq");
        row(t, 0x5B, "cvtdq2ps Vx,Wx", "cvtps2dq Vx,Wx", "cvttps2dq Vx,Wx", null);
        for (String p : MMX_SSE2) {
            String m = p.substring(3);
            row(t, hex(p), m + " Pq,Qq", m + " Vx,Hx,Wx", null, null);
        }
        row(t, 0x6C, null, "punpcklqdq Vx,Hx,Wx", null, null);
        row(t, 0x6D, null, "punpckhqdq Vx,Hx,Wx", null, null);
        row(t, 0x6E, "movd|movd|movq Pq,Ey", "movd|movd|movq Vx,Ey", null, null);
        row(t, 0x6F, "movq Pq,Qq", "movdqa Vx,Wx", "movdqu Vx,Wx", null);
        row(t, 0x70, "pshufw Pq,Qq,Ib", "pshufd Vx,Wx,Ib", "pshufhw Vx,Wx,Ib", "pshuflw Vx,Wx,Ib");
        t[0x71] = shiftGroup(null, "psrlw", null, "psraw", null, "psllw", null);
        t[0x72] = shiftGroup(null, "psrld", null, "psrad", null, "pslld", null);
        t[0x73] = shiftGroup(null, "psrlq", "psrldq", null, null, "psllq", "pslldq");
        t[0x77] = Opcode.of("emms");
        row(t, 0x78, "vmread Ec,Gc", null, null, null);
        row(t, 0x79, "vmwrite Gc,Ec", null, null, null);
        row(t, 0x7C, null, "haddpd Vx,Hx,Wx", null, "haddps Vx,Hx,Wx");
        row(t, 0x7D, null, "hsubpd Vx,Hx,Wx", null, "hsubps Vx,Hx,Wx");
        row(t, 0x7E, "movd|movd|movq Ey,Pq", "movd|movd|movq Ey,Vx", "movq Vx,Wq", null);
        row(t, 0x7F, "movq Qq,Pq", "movdqa Wx,Vx", "movdqu Wx,Vx", null);
        row(t, 0xC2, "cmpps Vx,Hx,Wx,Ib", "cmppd Vx,Hx,Wx,Ib", "cmpss Vx,Hx,Wd,Ib", "cmpsd Vx,Hx,Wq,Ib");
        row(t, 0xC3, "movnti My,Gy", null, null, null);
        row(t, 0xC4, "pinsrw Pq,Ed/w,Ib", "pinsrw Vx,Hx,Ed/w,Ib", null, null);
        row(t, 0xC5, "pextrw Gd,Nq,Ib", "pextrw Gd,Ux,Ib", null, null);
        row(t, 0xC6, "shufps Vx,Hx,Wx,Ib", "shufpd Vx,Hx,Wx,Ib", null, null);
        row(t, 0xD0, null, "addsubpd Vx,Hx,Wx", null, "addsubps Vx,Hx,Wx");
        row(t, 0xD6, null, "movq Wq,Vx", "movq2dq Vx,Nq", "movdq2q Pq,Ux");
        row(t, 0xD7, "pmovmskb Gd,Nq", "pmovmskb Gd,Ux", null, null);
        row(t, 0xE6, null, "cvttpd2dq Vx,Wx", "cvtdq2pd Vx,Wq", "cvtpd2dq Vx,Wx");
        row(t, 0xE7, "movntq Mq,Pq", "movntdq Mx,Vx", null, null);
        row(t, 0xF0, null, null, null, "lddqu Vx,Mx");
        row(t, 0xF7, "maskmovq Pq,Nq", "maskmovdqu Vx,Ux", null, null);
    }

    private static void fillMap38() {
        Opcode generic = Opcode.of("(sse) !modrm");
        java.util.Arrays.fill(MAP_38, generic);
        for (String p : SSSE3) {
            String m = p.substring(3);
            row(MAP_38, hex(p), m + " Pq,Qq", m + " Vx,Hx,Wx", null, null);
        }
        for (String s : MAP_38_66) {
            row(MAP_38, hex(s), null, s.substring(3), null, null);
        }
        String[] sha = {"sha1nexte Vx,Wx", "sha1msg1 Vx,Wx", "sha1msg2 Vx,Wx", "sha256rnds2 Vx,Wx,xmm0",
                        "sha256msg1 Vx,Wx", "sha256msg2 Vx,Wx"};
        for (int i = 0; i < sha.length; i++) {
            row(MAP_38, 0xC8 + i, sha[i], null, null, null);
        }
        // movbe and crc32 keep 66 as an operand-size prefix
        MAP_38[0xF0] = Opcode.rep(Opcode.of("movbe Gv,Mv"), null, Opcode.of("crc32 Gy,Eb"));
        MAP_38[0xF1] = Opcode.rep(Opcode.of("movbe Mv,Gv"), null, Opcode.of("crc32 Gy,Ev"));
        row(MAP_38, 0xF6, null, "adcx Gy,Ey", "adox Gy,Ey", null);
    }

    private static void fillMap3A() {
        Opcode generic = Opcode.of("(sse) !modrm !imm8");
        java.util.Arrays.fill(MAP_3A, generic);
        for (String s : MAP_3A_66) {
            row(MAP_3A, hex(s), null, s.substring(3), null, null);
        }
        row(MAP_3A, 0x0F, "palignr Pq,Qq,Ib", "palignr Vx,Hx,Wx,Ib", null, null);
        row(MAP_3A, 0xCC, "sha1rnds4 Vx,Wx,Ib", null, null, null);
    }

    /** Groups 12-14 (0F 71-73): shifts by imm8, register forms only; MMX without prefix, xmm with 66. */
    private static Opcode shiftGroup(String r1, String r2, String r3, String r4, String r5, String r6, String r7) {
        String[] names = {null, r1, r2, r3, r4, r5, r6, r7};
        Opcode[] mmx = new Opcode[8];
        Opcode[] xmm = new Opcode[8];
        for (int r = 0; r < 8; r++) {
            if (names[r] != null) {
                // psrldq/pslldq (reg 3, 7) exist only for xmm
                mmx[r] = r == 3 || r == 7 ? null : Opcode.of(names[r] + " Nq,Ib");
                xmm[r] = Opcode.of(names[r] + " Hx,Ux,Ib");
            }
        }
        return Opcode.sse(Opcode.group(new Opcode[8], mmx), Opcode.group(new Opcode[8], xmm), null, null);
    }

    /** Memory and register forms with different names (movlps/movhlps). */
    private static Opcode memOrReg(String memory, String register) {
        return Opcode.group(Opcode.same(Opcode.of(memory), 8), Opcode.same(Opcode.of(register), 8));
    }

    private static void row(Opcode[] t, int op, String none, String o66, String f3, String f2) {
        t[op] = Opcode.sse(Opcode.of(none), Opcode.of(o66), Opcode.of(f3), Opcode.of(f2));
    }

    private static int hex(String s) {
        return Integer.parseInt(s.substring(0, 2), 16);
    }
}
