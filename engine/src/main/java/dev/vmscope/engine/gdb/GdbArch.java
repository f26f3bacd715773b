package dev.vmscope.engine.gdb;

import dev.vmscope.engine.config.GuestConfigException;

import java.util.Locale;

/**
 * The architecture the target description announces. gdb will not let {@code set architecture} override a
 * description, so a guest that lives in 32-bit or 16-bit code gets a description of that width: registers
 * travel as 32 bits (the low halves), and gdb decodes instructions in that mode.
 */
public enum GdbArch {
    X86_64("i386:x86-64", 64), I386("i386", 32), I8086("i8086", 32);

    final String bfdName;
    final int gprBits;

    GdbArch(String bfdName, int gprBits) {
        this.bfdName = bfdName;
        this.gprBits = gprBits;
    }

    /** {@code x86-64}, {@code i386} or {@code i8086}. */
    public static GdbArch parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "x86-64", "x86_64", "amd64", "i386:x86-64" -> X86_64;
            case "i386", "x86", "32" -> I386;
            case "i8086", "8086", "16" -> I8086;
            default -> throw new GuestConfigException("--gdb-arch takes x86-64, i386 or i8086, not '" + s + "'");
        };
    }
}
