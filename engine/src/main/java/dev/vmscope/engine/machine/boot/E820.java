package dev.vmscope.engine.machine.boot;

import java.util.ArrayList;
import java.util.List;

/**
 * The PC memory map vmscope's guests see: low RAM below the EBDA, the BIOS area (where the ACPI tables are),
 * RAM from 1 MiB to the loader's reserved top of low RAM, and RAM above 4 GiB when {@link RamLayout} put some
 * there. The PCI hole is in no entry, as in QEMU's map. Used for the multiboot memory map and the Linux e820 table.
 */
public record E820(long base, long length, int type) {
    public static final int RAM = 1;
    public static final int RESERVED = 2;

    public static List<E820> map(long memory, long reservedTop) {
        long low = RamLayout.lowBytes(memory);
        long reserved = RamLayout.reservedBase(memory, reservedTop);
        List<E820> map = new ArrayList<>(List.of(
                new E820(0, 0x9FC00, RAM),
                new E820(0x9FC00, 0x400, RESERVED),
                new E820(0xF0000, 0x10000, RESERVED),
                new E820(0x100000, reserved - 0x100000, RAM),
                new E820(reserved, reservedTop, RESERVED)));
        if (reserved + reservedTop < low) {
            map.add(new E820(reserved + reservedTop, low - reserved - reservedTop, RAM));
        }
        long high = RamLayout.highBytes(memory);
        if (high > 0) {
            map.add(new E820(RamLayout.HIGH_START, high, RAM));
        }
        return List.copyOf(map);
    }
}
