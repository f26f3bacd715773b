package dev.vmscope.engine.x86;

/**
 * Encodings where ndisasm and the CPU part ways, so our decoder (which follows the CPU and the SDM) and ndisasm
 * legitimately disagree on instruction boundaries. Each rule checks the bytes, not just the text.
 */
final class KnownDivergence {
    private KnownDivergence() {
    }

    /** Why {@code ours} differs from ndisasm's line {@code theirs} at the same offset, or null if unexplained. */
    static String of(X86Insn ours, byte[] code, String theirs) {
        int at = (int) (ours.address() - 0x1000);
        int first = code[at] & 0xFF;
        if (theirs.startsWith("rex") && ours.bits() == 64 && (first & 0xF0) == 0x40 && ours.length() > 1) {
            int next = code[at + 1] & 0xFF;
            if ((next & 0xF0) == 0x40 || isLegacyPrefix(next)) {
                return "a REX followed by another prefix is ignored but belongs to the instruction (SDM 2.2.1); "
                        + "ndisasm prints it on its own";
            }
        }
        if (!theirs.startsWith("db ") || !ours.valid()) {
            return null;
        }
        if (ours.mnemonic().startsWith("(")) {
            return "an opcode neither names: we keep the length its map prescribes (ModRM, imm8 in 0F 3A), "
                    + "ndisasm steps one byte";
        }
        int op = ours.opcode();
        if (ours.opcodeMap() == 0 && (op == 0xC0 || op == 0xC1 || (op >= 0xD0 && op <= 0xD3)) && ours.reg() == 6) {
            return "group 2 /6 is sal, the CPU's alias of shl; ndisasm has no name for it";
        }
        if (ours.bits() == 64 && ours.opcodeMap() == 0 && op == 0x63 && (ours.rex() & 8) == 0) {
            return "63 /r without REX.W is movsxd r32, r/m32 (SDM); ndisasm only decodes it with REX.W";
        }
        return null;
    }

    private static boolean isLegacyPrefix(int b) {
        return switch (b) {
            case 0xF0, 0xF2, 0xF3, 0x66, 0x67, 0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65 -> true;
            default -> false;
        };
    }
}
