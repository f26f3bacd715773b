package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.KvmExit;

/**
 * An IN/OUT/INS/OUTS decoded from the bytes at RIP: what KVM's I/O exit does not say (string, REP, immediate
 * or DX, address size, segment, length).
 *
 * @param port         the immediate port, or -1 when the port is in DX
 * @param segment      segment of the memory operand: OUTS honours overrides (default DS), INS always uses ES; -1 otherwise
 * @param addressBits  16, 32 or 64
 */
record IoInstruction(boolean in, boolean string, boolean rep, int port, int sizeBytes, int addressBits, int segment,
                     int length) {

    boolean immediate() {
        return port >= 0;
    }

    /** Decodes the instruction at the start of {@code code}; null when it is not an I/O instruction. */
    static IoInstruction decode(byte[] code, int codeBits) {
        if (code == null || code.length == 0) {
            return null;
        }
        Prefixes p = Prefixes.parse(code, codeBits);
        int at = p.count();
        if (at >= code.length) {
            return null;
        }
        int op = code[at] & 0xFF;
        int wide = p.ioOperandBytes(codeBits);
        int addr = p.addressBits(codeBits);
        boolean rep = p.rep() || p.repne(); // either prefix repeats INS/OUTS
        return switch (op) {
            case 0xE4, 0xE5, 0xE6, 0xE7 -> at + 1 < code.length
                    ? new IoInstruction(op <= 0xE5, false, false, code[at + 1] & 0xFF, (op & 1) == 0 ? 1 : wide, addr, -1, at + 2)
                    : null;
            case 0xEC, 0xED, 0xEE, 0xEF -> new IoInstruction(op <= 0xED, false, false, -1, (op & 1) == 0 ? 1 : wide, addr, -1, at + 1);
            case 0x6C, 0x6D -> new IoInstruction(true, true, rep, -1, (op & 1) == 0 ? 1 : wide, addr, 0, at + 1);
            case 0x6E, 0x6F -> new IoInstruction(false, true, rep, -1, (op & 1) == 0 ? 1 : wide, addr,
                    p.segment() >= 0 ? p.segment() : 3, at + 1);
            default -> null;
        };
    }

    /** Whether these bytes can be the instruction KVM reported. */
    boolean matches(KvmExit.Io io) {
        if (in != !io.out() || sizeBytes != io.size()) {
            return false;
        }
        if (immediate() && port != io.port()) {
            return false;
        }
        return io.count() <= 1 || (string && rep);
    }
}
