package dev.vmscope.engine.trace;

import dev.vmscope.engine.exit.GuestState;

/**
 * One 4 KiB page of guest memory that a vCPU ran code from, as it was at the first exit the trace saw
 * there. Traces keep these (and no other memory) so that a replay can still disassemble at RIP and know
 * the instruction behind an exit.
 *
 * @param space      the address space: CR3's page-table base when paging is on, else {@link #NO_PAGING}
 * @param linearPage the page's linear address divided by {@link #SIZE}
 * @param seq        the exit at which it was read
 * @param bytes      exactly {@link #SIZE} bytes
 */
public record CodePage(long space, long linearPage, long seq, byte[] bytes) {
    public static final int SIZE = 4096;
    /** The address space of a guest without paging: linear is physical. */
    public static final long NO_PAGING = -1;
    private static final long CR3_BASE = 0x000FFFFFFFFFF000L;

    public CodePage {
        if (bytes.length != SIZE) {
            throw new IllegalArgumentException("a code page has " + SIZE + " bytes, got " + bytes.length);
        }
    }

    /** The address space {@code s} translates linear addresses in. */
    public static long spaceOf(GuestState s) {
        return spaceOf(s.cr0(), s.cr3());
    }

    /** The address space for these CR0 and CR3 values (the capture path, without a GuestState). */
    public static long spaceOf(long cr0, long cr3) {
        return (cr0 & (1L << 31)) != 0 ? cr3 & CR3_BASE : NO_PAGING;
    }
}
