package dev.vmscope.engine.machine;

import dev.vmscope.engine.exit.GuestState;
import dev.vmscope.engine.exit.StateLayout;
import dev.vmscope.engine.kvm.GuestMemory;
import dev.vmscope.engine.trace.CapturedExit;
import dev.vmscope.engine.trace.CodePage;
import dev.vmscope.engine.trace.ExitStore;

/**
 * Keeps, for a recording, the pages one vCPU runs code from: read on the vCPU thread at the exit, so a page
 * is exactly what the guest executed then. Per exit it compares three words with the previous exit's; only
 * when RIP's page, CR3 or the CS base changed does it translate and read (a few times per run for small
 * guests). It also keeps the neighbouring page when RIP is within an instruction's length of a page edge,
 * so the instruction at RIP and the one ending at RIP (an I/O exit on some hosts) are always whole.
 */
final class CodeSampler {
    private static final int EDGE = 15;     // the longest x86 instruction
    private static final int CS_BASE = StateLayout.segmentWord(StateLayout.Segment.CS);

    private final ExitStore store;
    private final GuestMemory memory;
    private long lastRipPage = -1;
    private long lastCr3 = -1;
    private long lastCsBase = -1;
    private long lastCr0 = -1;

    CodeSampler(ExitStore store, GuestMemory memory) {
        this.store = store;
        this.memory = memory;
    }

    void sample(CapturedExit e) {
        long[] w = e.state;
        long ripPage = w[StateLayout.RIP] >>> 12;
        if (ripPage == lastRipPage && w[StateLayout.CR3] == lastCr3 && w[CS_BASE] == lastCsBase
                && w[StateLayout.CR0] == lastCr0) {
            return;
        }
        lastRipPage = ripPage;
        lastCr3 = w[StateLayout.CR3];
        lastCsBase = w[CS_BASE];
        lastCr0 = w[StateLayout.CR0];
        GuestState s = new GuestState(w);
        long space = CodePage.spaceOf(s);
        long linear = s.codeLinearAddress();
        long first = Math.max(0, linear - EDGE) >>> 12;
        long last = (linear + EDGE) >>> 12;
        for (long page = first; page <= last; page++) {
            if (!store.codePages().contains(space, page)) {
                byte[] bytes = read(s, page);
                if (bytes != null) {
                    store.addCodePage(new CodePage(space, page, e.seq, bytes));
                }
            }
        }
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
