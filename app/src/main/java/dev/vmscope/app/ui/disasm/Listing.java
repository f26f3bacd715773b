package dev.vmscope.app.ui.disasm;

import dev.vmscope.engine.debug.Disassembler;

import java.util.ArrayList;
import java.util.List;

/**
 * A window of instructions around RIP: a few before it (found by decoding forward from earlier bytes until an
 * instruction boundary lands exactly on RIP, since x86 cannot be decoded backwards) and the rest after. Pure
 * computation over bytes already read; immutable.
 *
 * @param lines   the instructions in address order
 * @param current index of the instruction at RIP in {@code lines}, or -1
 * @param bits    the code size they were decoded in (16, 32, 64)
 * @param note    a remark for the user (e.g. why there is nothing before RIP), or empty
 */
public record Listing(List<Disassembler.Insn> lines, int current, int bits, String note) {
    /** Instructions shown before RIP at most. */
    public static final int BEFORE = 16;
    /** Instructions in the whole window at most. */
    public static final int WINDOW = 64;
    /** Bytes read before RIP to find the instructions before it. */
    public static final int BACK_BYTES = 96;

    /**
     * Decodes around {@code rip}: {@code code} holds guest bytes from {@code base}. The window starts at the
     * earliest offset before RIP whose decoding lands on RIP with no invalid instruction on the way (the
     * likeliest real instruction stream); if none does, it starts at RIP.
     */
    public static Listing around(byte[] code, long base, long rip, int bits, int before, int window) {
        long off = rip - base;
        if (off < 0 || off >= code.length) {
            throw new IllegalArgumentException(String.format("RIP 0x%x is outside the bytes read", rip));
        }
        int at = (int) off;
        List<Disassembler.Insn> prefix = List.of();
        for (int start = Math.max(0, at - BACK_BYTES); start < at && before > 0; start++) {
            List<Disassembler.Insn> run = syncTo(code, base, start, at, bits);
            if (run != null) {
                prefix = run.size() > before ? run.subList(run.size() - before, run.size()) : run;
                break;
            }
        }
        byte[] rest = java.util.Arrays.copyOfRange(code, at, code.length);
        List<Disassembler.Insn> after = Disassembler.disassemble(rest, rip, bits, window - prefix.size());
        List<Disassembler.Insn> lines = new ArrayList<>(prefix.size() + after.size());
        lines.addAll(prefix);
        lines.addAll(after);
        int current = after.isEmpty() ? -1 : prefix.size();
        String note = after.isEmpty() ? "the instruction at RIP runs past the memory that could be read" : "";
        return new Listing(List.copyOf(lines), current, bits, note);
    }

    /** Decodes code[start, at) and returns its instructions if they end exactly at {@code at}, all valid. */
    private static List<Disassembler.Insn> syncTo(byte[] code, long base, int start, int at, int bits) {
        byte[] slice = java.util.Arrays.copyOfRange(code, start, at);
        List<Disassembler.Insn> run = Disassembler.disassemble(slice, base + start, bits, at - start);
        int end = start;
        for (Disassembler.Insn i : run) {
            if (i.mnemonic().equals("(bad)")) {
                return null;
            }
            end += i.length();
        }
        return end == at && !run.isEmpty() ? run : null;
    }

    public Disassembler.Insn currentInsn() {
        return current < 0 ? null : lines.get(current);
    }
}
