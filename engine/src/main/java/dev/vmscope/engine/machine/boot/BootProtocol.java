package dev.vmscope.engine.machine.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** How a guest file is loaded; {@link #detect} picks it from the file's own markers. */
public enum BootProtocol {
    /** Raw bytes at a load address, started in the mode the user names. */
    FLAT("flat image"),
    /** An ELF executable: PT_LOAD segments at their physical addresses, 32- or 64-bit entry. */
    ELF("ELF loader"),
    /** A Multiboot v1 kernel: 32-bit protected mode, EAX = 0x2BADB002, EBX = multiboot information. */
    MULTIBOOT("multiboot loader"),
    /** A Linux bzImage through the x86 boot protocol's 64-bit entry. */
    LINUX("Linux boot protocol");

    public final String description;

    BootProtocol(String description) {
        this.description = description;
    }

    public static BootProtocol detect(byte[] f) {
        if (LinuxLoader.isBzImage(f)) {
            return LINUX;
        }
        if (MultibootLoader.findHeader(f) >= 0) {
            return MULTIBOOT;
        }
        if (f.length >= 4 && f[0] == 0x7F && f[1] == 'E' && f[2] == 'L' && f[3] == 'F') {
            return ELF;
        }
        return FLAT;
    }

    static ByteBuffer le(byte[] f) {
        return ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
    }
}
