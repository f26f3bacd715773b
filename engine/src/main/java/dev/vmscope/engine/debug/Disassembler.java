package dev.vmscope.engine.debug;

import dev.vmscope.engine.symbols.SymbolTable;
import dev.vmscope.engine.x86.X86Decoder;
import dev.vmscope.engine.x86.X86Insn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * x86 disassembly in 16-, 32- or 64-bit mode, by vmscope's own decoder ({@link X86Decoder}): the Capstone
 * build on Maven Central has no x86, and guests' users may not install system libraries.
 */
public final class Disassembler {
    /**
     * One decoded instruction.
     *
     * @param target where a relative call, jump or loop goes (absolute), empty for other instructions
     */
    public record Insn(long address, byte[] bytes, String mnemonic, String operands, OptionalLong target) {
        public int length() {
            return bytes.length;
        }

        public String text() {
            return operands.isEmpty() ? mnemonic : mnemonic + " " + operands;
        }

        /** {@link #text()} with a branch target named: {@code call 0x10009b <putc>}. */
        public String text(SymbolTable symbols) {
            return target.isPresent() ? text() + symbols.suffix(target.getAsLong()) : text();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Insn i && i.address == address && Arrays.equals(i.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(address) * 31 + Arrays.hashCode(bytes);
        }
    }

    private Disassembler() {
    }

    /**
     * Decodes up to {@code max} instructions of {@code code}, which starts at guest address {@code address}.
     * Invalid bytes come out as 1-byte "(bad)" instructions; an instruction cut off by the end of
     * {@code code} ends the list.
     */
    public static List<Insn> disassemble(byte[] code, long address, int bits, int max) {
        X86Decoder decoder = new X86Decoder(bits);
        List<Insn> out = new ArrayList<>(Math.min(Math.max(max, 0), 256));
        int offset = 0;
        while (out.size() < max && offset < code.length) {
            X86Insn x = decoder.decode(code, offset, code.length, address + offset);
            if (x == null) {
                break;
            }
            out.add(new Insn(x.address(), Arrays.copyOfRange(code, offset, offset + x.length()), x.mnemonic(),
                    x.operands(), x.hasRelativeTarget() ? OptionalLong.of(x.relativeTarget()) : OptionalLong.empty()));
            offset += x.length();
        }
        return out;
    }
}
