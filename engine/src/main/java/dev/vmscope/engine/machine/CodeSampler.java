package dev.vmscope.engine.machine;

import dev.vmscope.engine.exit.CapturedExit;
import dev.vmscope.engine.exit.GuestState;
import dev.vmscope.engine.exit.StateLayout;
import dev.vmscope.engine.kvm.GuestMemory;
import dev.vmscope.engine.trace.CodePage;
import dev.vmscope.engine.trace.ExitStore;

/**
 * Keeps, for a recording, the pages one vCPU runs code from: read on the vCPU thread at the exit, so a page
 * is exactly what the guest executed then. It keeps every page that the bytes from 15 before to 15 after
 * CS:RIP touch (the longest x86 instruction), so the instruction at RIP and one ending at RIP (an I/O exit on
 * some hosts) are always whole. Per exit it computes those (at most two) pages from the snapshot words and
 * compares them with the previous exit's; only when they or the address space changed does it look further
 * (a few times per run for small guests; allocation only then).
 */
final class CodeSampler {
    private static final int EDGE = 15;     // the longest x86 instruction
    private static final long NONE = Long.MIN_VALUE;

    private final ExitStore store;
    private final GuestMemory memory;
    private long lastSpace = NONE;
    private long lastLow = NONE;
    private long lastHigh = NONE;

    CodeSampler(ExitStore store, GuestMemory memory) {
        this.store = store;
        this.memory = memory;
    }

    void sample(CapturedExit e) {
        long[] w = e.state;
        long space = CodePage.spaceOf(w[StateLayout.CR0], w[StateLayout.CR3]);
        long linear = GuestState.codeLinearAddress(w);
        boolean wide = GuestState.codeBits(w) == 64;
        long low = page(linear, -EDGE, wide);
        long high = page(linear, EDGE, wide);
        if (space == lastSpace && low == lastLow && high == lastHigh) {
            return;
        }
        lastSpace = space;
        lastLow = low;
        lastHigh = high;
        GuestState s = null;
        for (long p : new long[]{low, page(linear, 0, wide), high}) {
            if (p != NONE && !store.codePages().contains(space, p)) {
                s = s != null ? s : new GuestState(w);
                byte[] bytes = read(s, p);
                if (bytes != null) {
                    store.addCodePage(new CodePage(space, p, e.seq, bytes));
                }
            }
        }
    }

    /**
     * The page of {@code linear + delta}: wrapping at 4 GiB outside 64-bit code, and NONE past either end of
     * the 64-bit address space (addresses are unsigned: kernels run at 0xffff…).
     */
    static long page(long linear, int delta, boolean wide) {
        if (!wide) {
            return ((linear + delta) & 0xFFFFFFFFL) >>> 12;
        }
        long a = linear + delta;
        if (delta < 0 ? Long.compareUnsigned(a, linear) > 0 : Long.compareUnsigned(a, linear) < 0) {
            return NONE;
        }
        return a >>> 12;
    }

    /** The page's bytes, or null when the guest does not map it or it lies outside RAM (not code, then). */
    private byte[] read(GuestState s, long page) {
        try {
            long physical = PageWalker.toPhysical(s, memory, page << 12);
            byte[] b = new byte[CodePage.SIZE];
            memory.read(physical, b, 0, b.length);
            return b;
        } catch (RuntimeException notThere) {
            return null;
        }
    }
}
