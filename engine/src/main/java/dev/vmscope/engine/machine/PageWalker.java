package dev.vmscope.engine.machine;

import dev.vmscope.engine.exit.GuestState;
import dev.vmscope.engine.kvm.GuestMemory;

/**
 * Translates a guest linear address to guest-physical with the guest's own page tables, in whichever
 * paging mode its CR0/CR4/EFER select: none, 32-bit (with 4 MiB pages), PAE, or 4-level long mode.
 * Page-table entries come from guest memory, so every access is bounds-checked by {@link GuestMemory}.
 */
public final class PageWalker {
    private static final long ADDR_MASK = 0x000FFFFFFFFFF000L;
    private static final long PRESENT = 1;
    private static final long PAGE_SIZE_BIT = 1 << 7;

    private PageWalker() {
    }

    /** Thrown when the guest's page tables do not map an address. */
    public static final class NotMappedException extends RuntimeException {
        NotMappedException(long linear, String level) {
            super(String.format("linear address 0x%x is not mapped (%s entry not present)", linear, level));
        }
    }

    /** Reads {@code length} bytes at a linear address, each page translated on its own (a range may span pages). */
    public static byte[] readLinear(GuestState s, GuestMemory mem, long linear, int length) {
        byte[] out = new byte[length];
        eachPage(s, mem, linear, length, (phys, off, len) -> mem.read(phys, out, off, len));
        return out;
    }

    /** Writes {@code data} at a linear address, each page translated on its own. */
    public static void writeLinear(GuestState s, GuestMemory mem, long linear, byte[] data) {
        eachPage(s, mem, linear, data.length, (phys, off, len) -> mem.write(phys, data, off, len));
    }

    private interface PageAccess {
        void access(long physical, int offset, int length);
    }

    private static void eachPage(GuestState s, GuestMemory mem, long linear, int length, PageAccess a) {
        int done = 0;
        while (done < length) {
            long at = linear + done;
            int chunk = (int) Math.min(length - done, 0x1000 - (at & 0xFFF));
            a.access(toPhysical(s, mem, at), done, chunk);
            done += chunk;
        }
    }

    public static long toPhysical(GuestState s, GuestMemory mem, long linear) {
        boolean pg = (s.cr0() & (1L << 31)) != 0;
        if (!pg) {
            return (s.efer() & (1 << 10)) != 0 ? linear : linear & 0xFFFFFFFFL;
        }
        boolean pae = (s.cr4() & (1 << 5)) != 0;
        boolean lma = (s.efer() & (1 << 10)) != 0;
        if (lma) {
            long pml4e = entry(mem, s.cr3() & ADDR_MASK, (linear >>> 39) & 0x1FF, linear, "PML4");
            long pdpte = entry(mem, pml4e & ADDR_MASK, (linear >>> 30) & 0x1FF, linear, "PDPT");
            if ((pdpte & PAGE_SIZE_BIT) != 0) {
                return (pdpte & 0x000FFFFFC0000000L) | (linear & 0x3FFFFFFFL);
            }
            return walkPd(mem, pdpte & ADDR_MASK, linear);
        }
        if (pae) {
            long pdpte = entry(mem, s.cr3() & 0xFFFFFFE0L, (linear >>> 30) & 0x3, linear, "PDPT");
            return walkPd(mem, pdpte & ADDR_MASK, linear);
        }
        long pde = mem.readInt((s.cr3() & 0xFFFFF000L) + ((linear >>> 22) & 0x3FF) * 4) & 0xFFFFFFFFL;
        if ((pde & PRESENT) == 0) {
            throw new NotMappedException(linear, "page-directory");
        }
        if ((pde & PAGE_SIZE_BIT) != 0 && (s.cr4() & (1 << 4)) != 0) {
            return (pde & 0xFFC00000L) | (linear & 0x3FFFFFL);
        }
        long pte = mem.readInt((pde & 0xFFFFF000L) + ((linear >>> 12) & 0x3FF) * 4) & 0xFFFFFFFFL;
        if ((pte & PRESENT) == 0) {
            throw new NotMappedException(linear, "page-table");
        }
        return (pte & 0xFFFFF000L) | (linear & 0xFFF);
    }

    private static long walkPd(GuestMemory mem, long pd, long linear) {
        long pde = entry(mem, pd, (linear >>> 21) & 0x1FF, linear, "page-directory");
        if ((pde & PAGE_SIZE_BIT) != 0) {
            return (pde & 0x000FFFFFFFE00000L) | (linear & 0x1FFFFFL);
        }
        long pte = entry(mem, pde & ADDR_MASK, (linear >>> 12) & 0x1FF, linear, "page-table");
        return (pte & ADDR_MASK) | (linear & 0xFFF);
    }

    private static long entry(GuestMemory mem, long table, long index, long linear, String level) {
        long e = mem.readLong(table + index * 8);
        if ((e & PRESENT) == 0) {
            throw new NotMappedException(linear, level);
        }
        return e;
    }
}
