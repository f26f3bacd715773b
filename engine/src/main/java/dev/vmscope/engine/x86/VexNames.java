package dev.vmscope.engine.x86;

/**
 * Names for VEX-encoded instructions. The decoder computes their length from the encoding layout alone;
 * this only picks what to print: the SSE cell of the same map and prefix with a "v" in front (vaddps, vpxor),
 * or one of the VEX-only instructions below (AVX2 permutes and broadcasts, FMA, BMI1/2). Anything else prints
 * as "(avx)". EVEX names are {@link EvexNames}' job.
 */
final class VexNames {
    static final Opcode VZERO = Opcode.of("vzeroupper");
    private static final Opcode GENERIC = Opcode.of("(avx)");

    /** VEX-only cells by map (1-3), prefix index (none, 66, F3, F2) and opcode. */
    private static final Opcode[][][] ONLY = new Opcode[4][4][256];

    private static final String[] SPECS = {
        "2 66 0C vpermilps Vx,Hx,Wx", "2 66 0D vpermilpd Vx,Hx,Wx", "2 66 0E vtestps Vx,Wx",
        "2 66 0F vtestpd Vx,Wx", "2 66 13 vcvtph2ps Vx,Wx", "2 66 16 vpermps Vx,Hx,Wx",
        "2 66 18 vbroadcastss Vx,Wd", "2 66 19 vbroadcastsd Vx,Wq", "2 66 1A vbroadcastf128 Vx,Mo",
        "2 66 2C vmaskmovps Vx,Hx,Mx", "2 66 2D vmaskmovpd Vx,Hx,Mx", "2 66 2E vmaskmovps Mx,Hx,Vx",
        "2 66 2F vmaskmovpd Mx,Hx,Vx", "2 66 36 vpermd Vx,Hx,Wx", "2 66 45 x|vpsrlvd|vpsrlvq Vx,Hx,Wx",
        "2 66 46 vpsravd Vx,Hx,Wx", "2 66 47 x|vpsllvd|vpsllvq Vx,Hx,Wx", "2 66 58 vpbroadcastd Vx,Wd",
        "2 66 59 vpbroadcastq Vx,Wq", "2 66 5A vbroadcasti128 Vx,Mo", "2 66 78 vpbroadcastb Vx,Wb",
        "2 66 79 vpbroadcastw Vx,Ww", "2 66 8C x|vpmaskmovd|vpmaskmovq Vx,Hx,Mx",
        "2 66 8E x|vpmaskmovd|vpmaskmovq Mx,Hx,Vx", "2 66 90 x|vpgatherdd|vpgatherdq Vx,Mx,Hx",
        "2 66 91 x|vpgatherqd|vpgatherqq Vx,Mx,Hx", "2 66 92 x|vgatherdps|vgatherdpd Vx,Mx,Hx",
        "2 66 93 x|vgatherqps|vgatherqpd Vx,Mx,Hx",
        "2 00 F2 andn Gy,By,Ey", "2 00 F5 bzhi Gy,Ey,By", "2 F3 F5 pext Gy,By,Ey", "2 F2 F5 pdep Gy,By,Ey",
        "2 F2 F6 mulx Gy,By,Ey", "2 00 F7 bextr Gy,Ey,By", "2 66 F7 shlx Gy,Ey,By", "2 F3 F7 sarx Gy,Ey,By",
        "2 F2 F7 shrx Gy,Ey,By",
        "3 66 00 vpermq Vx,Wx,Ib", "3 66 01 vpermpd Vx,Wx,Ib", "3 66 02 vpblendd Vx,Hx,Wx,Ib",
        "3 66 04 vpermilps Vx,Wx,Ib", "3 66 05 vpermilpd Vx,Wx,Ib", "3 66 06 vperm2f128 Vx,Hx,Wx,Ib",
        "3 66 18 vinsertf128 Vx,Hx,Wo,Ib", "3 66 19 vextractf128 Wo,Vx,Ib", "3 66 1D vcvtps2ph Wx,Vx,Ib",
        "3 66 38 vinserti128 Vx,Hx,Wo,Ib", "3 66 39 vextracti128 Wo,Vx,Ib", "3 66 46 vperm2i128 Vx,Hx,Wx,Ib",
        "3 66 4A vblendvps Vx,Hx,Wx,Lx", "3 66 4B vblendvpd Vx,Hx,Wx,Lx", "3 66 4C vpblendvb Vx,Hx,Wx,Lx",
        "3 F2 F0 rorx Gy,Ey,Ib",
    };

    static {
        for (String s : SPECS) {
            String[] p = s.split(" ", 4);
            ONLY[Integer.parseInt(p[0])][prefixIndex(p[1])][Integer.parseInt(p[2], 16)] = Opcode.of(p[3]);
        }
        ONLY[2][0][0xF3] = Opcode.group(null, "blsr By,Ey", "blsmsk By,Ey", "blsi By,Ey", null, null, null, null);
        // FMA: 96-9F, A6-AF, B6-BF; the low nibble names the operation, the high one the operand order
        String[] ops = {"fmaddsub", "fmsubadd", "fmadd", "fmadd", "fmsub", "fmsub", "fnmadd", "fnmadd",
                        "fnmsub", "fnmsub"};
        String[] order = {"132", "213", "231"};
        for (int hi = 0; hi < 3; hi++) {
            for (int lo = 6; lo <= 15; lo++) {
                String m = "v" + ops[lo - 6] + order[hi];
                boolean scalar = lo >= 8 && (lo & 1) == 1;
                String names = scalar ? "x|" + m + "ss|" + m + "sd" : "x|" + m + "ps|" + m + "pd";
                String w = scalar ? "Wd" : "Wx";   // scalar sd is a qword, close enough for a keyword
                ONLY[2][1][0x90 + hi * 16 + lo] = Opcode.of(names + " Vx,Hx," + w);
            }
        }
    }

    private VexNames() {
    }

    static int prefixIndex(String p) {
        return switch (p) {
            case "66" -> 1;
            case "F3" -> 2;
            case "F2" -> 3;
            default -> 0;
        };
    }

    /** The cell to print a VEX instruction with; sets {@code in.name} to the "v"-prefixed or placeholder name. */
    static Opcode entry(X86Insn in) {
        int pp = prefixIndex(in);
        if (in.map == 1 && in.opcode == 0x77) {
            in.name = in.vexLength == 0 ? "vzeroupper" : "vzeroall";
            return VZERO;
        }
        int nameIndex = (in.ext & 8) != 0 ? 2 : 1;   // VEX.W picks d/q, ps/pd, even outside 64-bit mode
        if (in.map <= 3) {
            Opcode only = resolve(ONLY[in.map][pp][in.opcode], in, pp);
            if (only != null) {
                in.name = only.name(nameIndex);
                return only;
            }
            Opcode sse = sseCell(in);
            if (sse != null) {
                in.name = "v" + sse.name(nameIndex);
                return sse;
            }
        }
        in.name = "(avx)";
        return GENERIC;
    }

    /** The SSE cell of the same map, prefix and ModRM, if it has xmm operands (so a VEX/EVEX form exists). */
    static Opcode sseCell(X86Insn in) {
        Opcode[] legacy = in.map == 1 ? TwoByteMap.TABLE : in.map == 2 ? SseMap.MAP_38 : SseMap.MAP_3A;
        Opcode sse = resolve(legacy[in.opcode], in, prefixIndex(in));
        return sse != null && isSse(sse) ? sse : null;
    }

    static int prefixIndex(X86Insn in) {
        return switch (in.mandatoryPrefix) {
            case 0x66 -> 1;
            case 0xF3 -> 2;
            case 0xF2 -> 3;
            default -> 0;
        };
    }

    private static Opcode resolve(Opcode e, X86Insn in, int pp) {
        while (e != null && e.isSelector()) {
            if (e.byPrefix != null) {
                e = e.byPrefix[pp];
            } else if (in.modrm < 0) {
                return null;
            } else if (in.modrm >> 6 == 3 && e.registerForms != null) {
                e = e.registerForms.length == 64 ? e.registerForms[in.modrm & 0x3F] : e.registerForms[in.reg()];
            } else {
                e = e.group[in.reg()];
            }
        }
        return e != null && e.names[0].startsWith("(") ? null : e;
    }

    /** A cell with xmm operands (MMX-only and GPR-only cells have no VEX form). */
    private static boolean isSse(Opcode e) {
        boolean xmm = false;
        for (int op : e.operands) {
            int k = Operand.kind(op);
            if (k == Operand.P || k == Operand.Q || k == Operand.N) {
                return false;
            }
            xmm |= k == Operand.V || k == Operand.W || k == Operand.U || k == Operand.H;
        }
        return xmm;
    }
}
