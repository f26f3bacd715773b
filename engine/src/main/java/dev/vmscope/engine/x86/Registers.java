package dev.vmscope.engine.x86;

/** General-purpose register names by number (0-15) and width. */
final class Registers {
    private static final String[] R8 = {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"};
    private static final String[] R8_REX = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
        "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"};
    private static final String[] R16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
        "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"};
    private static final String[] R32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
        "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"};
    private static final String[] R64 = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"};

    private Registers() {
    }

    /** With any REX prefix, byte registers 4-7 are spl..dil instead of ah..bh. */
    static String gpr(int n, int bits, boolean rex) {
        n &= 15;
        return switch (bits) {
            case 8 -> rex ? R8_REX[n] : R8[n & 7];
            case 16 -> R16[n];
            case 32 -> R32[n];
            default -> R64[n];
        };
    }
}
