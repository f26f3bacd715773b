package dev.vmscope.engine.bench;

import dev.vmscope.engine.debug.Disassembler;

import dev.vmscope.engine.x86.X86Decoder;
import dev.vmscope.engine.x86.X86Insn;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;


/**
 * The UI decodes a window of ~50 instructions per refresh: that must stay well under a millisecond. Prints the
 * cost with text against decoding alone, measured in the same run. Run with bench/run.sh disasm.
 */
public final class DisassemblerBenchmark {
    private DisassemblerBenchmark() {
    }

    private static final long WARM_UP_NANOS = 400_000_000L;

    /** A mix of kernel-like 64-bit code: REX, SIB, RIP-relative, 0F map, SSE, VEX, branches. */
    private static final String MIX = "55 4889E5 4883EC20 48897DF8 488B05F0FF0000 4C8B0424 410FB64508 "
            + "85C0 7412 E8D1FFFFFF 0F1F440000 6690 8B042530000000 F3480FB8C1 C5F9EFC0 C4E27918442408 "
            + "0F01F8 0F20D8 0F22D8 0F32 0F30 0F01C1 F3AB 488D3D00010000 FF2425A0000000 C9 C3";

    public static void main(String[] args) {
        byte[] unit = HexFormat.of().parseHex(MIX.replace(" ", ""));
        byte[] code = new byte[unit.length * 8];
        for (int i = 0; i < 8; i++) {
            System.arraycopy(unit, 0, code, i * unit.length, unit.length);
        }
        for (long end = System.nanoTime() + WARM_UP_NANOS; System.nanoTime() < end; ) {   // let the JIT finish
            Disassembler.disassemble(code, 0xFFFFFFFF81000000L, 64, 50);
        }
        long[] nanos = new long[2000];
        int decoded = 0;
        for (int i = 0; i < nanos.length; i++) {
            long t0 = System.nanoTime();
            List<Disassembler.Insn> l = Disassembler.disassemble(code, 0xFFFFFFFF81000000L, 64, 50);
            nanos[i] = System.nanoTime() - t0;
            decoded = l.size();
        }
        Arrays.sort(nanos);
        long median = nanos[nanos.length / 2];
        System.out.printf("[x86 speed] %d instructions with text: median %.1f us (%d ns per instruction), "
                + "90th percentile %.1f us; decoding alone: %d ns per instruction%n", decoded, median / 1000.0,
                median / decoded, nanos[nanos.length * 9 / 10] / 1000.0, decodeOnlyNanos(code));
        if (decoded != 50) {
            throw new IllegalStateException("decoded " + decoded + " instructions, expected 50");
        }
    }

    /** Median ns per instruction for the facts alone (what stepping and exit synthesis need, no text). */
    private static long decodeOnlyNanos(byte[] code) {
        X86Decoder d = new X86Decoder(64);
        long[] nanos = new long[2000];
        long warm = System.nanoTime() + WARM_UP_NANOS;
        for (int round = 0; round < nanos.length; round++) {
            long t0 = System.nanoTime();
            int n = 0;
            for (int off = 0; n < 50; n++) {
                X86Insn x = d.decode(code, off, code.length, off);
                off += x.length();
            }
            nanos[round] = (System.nanoTime() - t0) / n;
            if (t0 < warm) {
                round = -1;   // still warming up
            }
        }
        Arrays.sort(nanos);
        return nanos[nanos.length / 2];
    }
}
