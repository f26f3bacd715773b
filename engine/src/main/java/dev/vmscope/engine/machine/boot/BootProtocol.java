package dev.vmscope.engine.machine.boot;

import dev.vmscope.engine.config.GuestConfigException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

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

    /**
     * The loader a file asks for. A 64-bit ELF goes to the ELF loader (long-mode entry) even when it carries a
     * multiboot header, which can only describe a 32-bit entry; {@code --loader multiboot} enters such a file
     * in protected mode as GRUB does. A multiboot magic with a bad checksum still picks the multiboot loader, so
     * that the file is refused for its checksum instead of running as a flat image.
     */
    public static BootProtocol detect(byte[] f) {
        if (LinuxLoader.isBzImage(f)) {
            return LINUX;
        }
        if (ElfLoader.is64(f)) {
            return ELF;
        }
        if (MultibootLoader.findHeader(f) >= 0) {
            return MULTIBOOT;
        }
        if (ElfLoader.isElf(f)) {
            return ELF;
        }
        return FLAT;
    }

    /** {@code elf}, {@code multiboot}, {@code linux} or {@code flat}, as {@code --loader} takes them. */
    public static BootProtocol parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new GuestConfigException("unknown loader '" + name + "' (use elf, multiboot, linux or flat)");
        }
    }

    static ByteBuffer le(byte[] f) {
        return ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
    }
}
