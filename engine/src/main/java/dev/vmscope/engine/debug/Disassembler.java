package dev.vmscope.engine.debug;

import java.util.Arrays;
import java.util.List;

/**
 * x86 disassembly in 16-, 32- or 64-bit mode.
 */
public final class Disassembler {
    /** One decoded instruction. */
    public record Insn(long address, byte[] bytes, String mnemonic, String operands) {
        public int length() {
            return bytes.length;
        }

        public String text() {
            return operands.isEmpty() ? mnemonic : mnemonic + " " + operands;
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

    /** Decodes up to {@code max} instructions of {@code code}, which starts at guest address {@code address}. */
    public static List<Insn> disassemble(byte[] code, long address, int bits, int max) {
        throw new UnsupportedOperationException("x86 decoder not merged yet");
    }
}
