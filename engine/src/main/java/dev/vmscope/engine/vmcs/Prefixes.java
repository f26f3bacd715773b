package dev.vmscope.engine.vmcs;

/**
 * The legacy and REX prefixes in front of an x86 opcode, as far as the I/O and MSR instructions need them.
 *
 * @param count   bytes of prefixes (the opcode is at this index)
 * @param segment segment-override register (0 ES, 1 CS, 2 SS, 3 DS, 4 FS, 5 GS) or -1
 */
record Prefixes(int count, boolean rep, boolean repne, int segment, boolean operandSize, boolean addressSize) {
    /** x86 never decodes more than 15 bytes for one instruction. */
    static final int MAX_INSTRUCTION = 15;

    static Prefixes parse(byte[] code, int codeBits) {
        int i = 0;
        boolean rep = false, repne = false, opsize = false, adsize = false;
        int seg = -1;
        while (i < code.length && i < MAX_INSTRUCTION - 1) {
            int b = code[i] & 0xFF;
            switch (b) {
                case 0xF3 -> rep = true;
                case 0xF2 -> repne = true;
                case 0xF0 -> { }
                case 0x66 -> opsize = true;
                case 0x67 -> adsize = true;
                case 0x26 -> seg = 0;
                case 0x2E -> seg = 1;
                case 0x36 -> seg = 2;
                case 0x3E -> seg = 3;
                case 0x64 -> seg = 4;
                case 0x65 -> seg = 5;
                default -> {
                    // REX only exists in 64-bit mode; it does not change I/O or MSR instructions.
                    if (codeBits == 64 && (b & 0xF0) == 0x40) {
                        break;
                    }
                    return new Prefixes(i, rep, repne, seg, opsize, adsize);
                }
            }
            i++;
        }
        return new Prefixes(i, rep, repne, seg, opsize, adsize);
    }

    /** Address size in bits for this code size with these prefixes. */
    int addressBits(int codeBits) {
        return switch (codeBits) {
            case 64 -> addressSize ? 32 : 64;
            case 32 -> addressSize ? 16 : 32;
            default -> addressSize ? 32 : 16;
        };
    }

    /** Operand size of a non-byte I/O operand: 16 or 32 bits (REX.W does not widen I/O). */
    int ioOperandBytes(int codeBits) {
        boolean wide = codeBits != 16;
        return (wide ^ operandSize) ? 4 : 2;
    }
}
