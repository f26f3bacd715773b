package dev.vmscope.engine.machine.boot;

import java.util.List;

/**
 * The PC memory map vmscope's guests see: low RAM below the EBDA, the legacy hole, RAM from 1 MiB to the
 * loader's reserved top. Used for the multiboot memory map and the Linux e820 table alike.
 */
public record E820(long base, long length, int type) {
    public static final int RAM = 1;
    public static final int RESERVED = 2;

    public static List<E820> map(long memory, long reservedTop) {
        return List.of(
                new E820(0, 0x9FC00, RAM),
                new E820(0x9FC00, 0x400, RESERVED),
                new E820(0xF0000, 0x10000, RESERVED),
                new E820(0x100000, memory - reservedTop - 0x100000, RAM),
                new E820(memory - reservedTop, reservedTop, RESERVED));
    }
}
