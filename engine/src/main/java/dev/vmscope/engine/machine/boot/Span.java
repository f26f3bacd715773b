package dev.vmscope.engine.machine.boot;

import java.util.List;

/** A guest-physical byte range [start, end): a loaded segment, a module, the loader's own data. */
public record Span(long start, long end) {

    public boolean overlaps(long s, long e) {
        return s < end && start < e;
    }

    /**
     * The lowest {@code align}-aligned address inside one of {@code windows} (tried in order) where {@code size}
     * bytes overlap none of {@code used}; -1 if there is none.
     */
    public static long firstFree(long size, long align, List<Span> used, List<Span> windows) {
        for (Span w : windows) {
            long at = alignUp(w.start, align);
            boolean moved = true;
            while (moved && at + size <= w.end) {
                moved = false;
                for (Span u : used) {
                    if (u.overlaps(at, at + size)) {
                        at = alignUp(u.end, align);
                        moved = true;
                    }
                }
            }
            if (!moved && at + size <= w.end) {
                return at;
            }
        }
        return -1;
    }

    static long alignUp(long v, long align) {
        return (v + align - 1) & -align;
    }
}
