package dev.vmscope.engine.machine.boot;

import dev.vmscope.engine.kvm.GuestMemory;

import java.util.List;

/**
 * Where a guest's RAM lies, by QEMU's q35 rule (hw/i386/pc_q35.c): up to 2.75 GiB it is all below 4 GiB from 0;
 * with more, RAM below 4 GiB ends at 2 GiB (the PCI hole, MMCONFIG, the IOAPIC and local APIC, the BIOS and
 * KVM's TSS pages live from there to 4 GiB) and the rest is remapped above 4 GiB.
 */
public final class RamLayout {
    /** From this much RAM on, the PCI hole starts at {@link #LOW_END_WITH_HOLE}. */
    public static final long SPLIT_AT = 0xB0000000L;
    public static final long LOW_END_WITH_HOLE = 0x80000000L;
    public static final long HIGH_START = 1L << 32;
    /** What the loader's long-mode page tables identity-map: all of the address space below 4 GiB. */
    public static final long IDENTITY_MAPPED = 1L << 32;

    private RamLayout() {
    }

    /** Bytes of RAM below the PCI hole. */
    public static long lowBytes(long total) {
        return total >= SPLIT_AT ? LOW_END_WITH_HOLE : total;
    }

    /** Bytes of RAM remapped above 4 GiB. */
    public static long highBytes(long total) {
        return total - lowBytes(total);
    }

    /**
     * Where the loader's reserved block ({@code reservedTop} bytes: GDT, page tables, stacks below it) starts: at the
     * top of RAM below the PCI hole, so that RAM from 1 MiB up to it is one piece (a multiboot kernel's
     * {@code mem_upper} counts only that piece) and a long-mode guest reaches it through the identity map.
     */
    public static long reservedBase(long total, long reservedTop) {
        return lowBytes(total) - reservedTop;
    }

    /** Guest RAM laid out this way: one region, or two (below the hole, above 4 GiB). */
    public static GuestMemory allocate(long total) {
        long high = highBytes(total);
        return high == 0 ? new GuestMemory(total)
                : new GuestMemory(List.of(lowBytes(total), high), List.of(0L, HIGH_START));
    }
}
