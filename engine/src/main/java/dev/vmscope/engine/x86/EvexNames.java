package dev.vmscope.engine.x86;

/**
 * Names for EVEX-encoded (AVX-512) instructions. EVEX reuses the VEX opcodes but often with other meanings:
 * EVEX.W picks the element size (vpminud/vpminuq) and some cells are new instructions (0F 38 2C is vmaskmovps
 * in VEX, vscalefps in EVEX). So names come only from the table below, or from the SSE name for 0F-map cells
 * known to mean the same in EVEX; anything else is "(evex)". Operands are not printed: disp8*N scaling,
 * opmasks and embedded rounding are not modelled.
 */
final class EvexNames {
    private static final Opcode GENERIC = Opcode.of("(evex)");

    /** Cells by map (1-3), prefix index (none, 66, F3, F2) and opcode; names by EVEX.W ("x|W0|W1"). */
    private static final Opcode[][][] NAMES = new Opcode[4][4][256];

    private static final String[] SPECS = {
        "1 66 DB x|vpandd|vpandq", "1 66 DF x|vpandnd|vpandnq", "1 66 EB x|vpord|vporq", "1 66 EF x|vpxord|vpxorq",
        "1 66 6F x|vmovdqa32|vmovdqa64", "1 66 7F x|vmovdqa32|vmovdqa64", "1 F3 6F x|vmovdqu32|vmovdqu64",
        "1 F3 7F x|vmovdqu32|vmovdqu64", "1 F2 6F x|vmovdqu8|vmovdqu16", "1 F2 7F x|vmovdqu8|vmovdqu16",
        "2 66 00 vpshufb", "2 66 16 x|vpermps|vpermpd", "2 66 18 vbroadcastss", "2 66 2C x|vscalefps|vscalefpd",
        "2 66 36 x|vpermd|vpermq", "2 66 39 x|vpminsd|vpminsq", "2 66 3B x|vpminud|vpminuq",
        "2 66 3D x|vpmaxsd|vpmaxsq", "2 66 3F x|vpmaxud|vpmaxuq", "2 66 40 x|vpmulld|vpmullq",
        "2 66 58 vpbroadcastd", "2 66 64 x|vpblendmd|vpblendmq", "2 66 65 x|vblendmps|vblendmpd",
        "2 66 66 x|vpblendmb|vpblendmw", "2 66 76 x|vpermi2d|vpermi2q", "2 66 78 vpbroadcastb",
        "2 66 79 vpbroadcastw", "2 66 7E x|vpermt2d|vpermt2q", "2 66 8A x|vcompressps|vcompresspd",
        "2 66 8B x|vpcompressd|vpcompressq", "2 66 8D x|vpermb|vpermw",
        "3 66 03 x|valignd|valignq", "3 66 18 x|vinsertf32x4|vinsertf64x2", "3 66 19 x|vextractf32x4|vextractf64x2",
        "3 66 1A x|vinsertf32x8|vinsertf64x4", "3 66 1B x|vextractf32x8|vextractf64x4",
        "3 66 1E x|vpcmpud|vpcmpuq", "3 66 1F x|vpcmpd|vpcmpq", "3 66 23 x|vshuff32x4|vshuff64x2",
        "3 66 25 x|vpternlogd|vpternlogq", "3 66 38 x|vinserti32x4|vinserti64x2",
        "3 66 39 x|vextracti32x4|vextracti64x2", "3 66 3A x|vinserti32x8|vinserti64x4",
        "3 66 3B x|vextracti32x8|vextracti64x4", "3 66 3E x|vpcmpub|vpcmpuw", "3 66 3F x|vpcmpb|vpcmpw",
        "3 66 43 x|vshufi32x4|vshufi64x2",
    };

    /** 0F-map cells whose SSE name with a "v" is also the EVEX name (moves, FP arithmetic, fixed-size integer ops). */
    private static final int[] SAME_AS_SSE = {
        0x10, 0x11, 0x14, 0x15, 0x28, 0x29, 0x2E, 0x2F, 0x51, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5C, 0x5D, 0x5E,
        0x5F, 0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x70, 0x74,
        0x75, 0x76, 0x7E, 0xC6, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD8, 0xD9, 0xDA, 0xDC, 0xDD, 0xDE, 0xE0, 0xE1,
        0xE3, 0xE4, 0xE5, 0xE8, 0xE9, 0xEA, 0xEC, 0xED, 0xEE, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF8, 0xF9, 0xFA,
        0xFB, 0xFC, 0xFD, 0xFE,
    };
    private static final boolean[] SAME = new boolean[256];

    static {
        for (String s : SPECS) {
            String[] p = s.split(" ", 4);
            NAMES[Integer.parseInt(p[0])][VexNames.prefixIndex(p[1])][Integer.parseInt(p[2], 16)] = Opcode.of(p[3]);
        }
        for (int op : SAME_AS_SSE) {
            SAME[op] = true;
        }
    }

    private EvexNames() {
    }

    /** The cell to name an EVEX instruction with; sets {@code in.name}. */
    static Opcode entry(X86Insn in) {
        int w = (in.ext & 8) != 0 ? 2 : 1;
        if (in.map <= 3) {
            Opcode e = NAMES[in.map][VexNames.prefixIndex(in)][in.opcode];
            if (e != null) {
                in.name = e.name(w);
                return e;
            }
            Opcode sse = in.map == 1 && SAME[in.opcode] ? VexNames.sseCell(in) : null;
            if (sse != null) {
                in.name = "v" + sse.name(w);
                return sse;
            }
        }
        in.name = "(evex)";
        return GENERIC;
    }
}
