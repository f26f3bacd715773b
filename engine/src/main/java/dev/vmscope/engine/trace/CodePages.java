package dev.vmscope.engine.trace;

import dev.vmscope.engine.exit.GuestState;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The code pages a run executed from, keyed by address space and linear page; the first copy of a page
 * wins (code that rewrites itself later is shown as it first ran). At most {@link #MAX_PAGES} are kept, so a
 * long run with many address spaces (each process of a guest OS has its own copy of the kernel's pages)
 * cannot grow without bound, and neither can a reader fed a crafted file. Any thread.
 */
public final class CodePages {
    /** 64 MiB of pages. */
    public static final int MAX_PAGES = 16_384;

    private record Key(long space, long page) {
    }

    private final ConcurrentHashMap<Key, CodePage> pages = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();

    /** Thrown when a replay asks for bytes the trace did not keep. */
    public static final class NotRecordedException extends RuntimeException {
        NotRecordedException(long linear) {
            super(String.format("the trace did not keep the page at linear 0x%x (it keeps only pages code ran from)",
                    linear));
        }
    }

    public boolean contains(long space, long linearPage) {
        return pages.containsKey(new Key(space, linearPage));
    }

    /** Keeps {@code p} unless that page is already kept or {@link #MAX_PAGES} are; true if it was added. */
    public boolean add(CodePage p) {
        if (pages.size() >= MAX_PAGES) {
            refused.incrementAndGet();
            return false;
        }
        return pages.putIfAbsent(new Key(p.space(), p.linearPage()), p) == null;
    }

    /** Pages not kept because {@link #MAX_PAGES} were. */
    public long refused() {
        return refused.get();
    }

    public int size() {
        return pages.size();
    }

    public boolean isEmpty() {
        return pages.isEmpty();
    }

    /** Every kept page, in the order the run first reached them. */
    public List<CodePage> all() {
        List<CodePage> l = new ArrayList<>(pages.values());
        l.sort(Comparator.comparingLong(CodePage::seq).thenComparingLong(CodePage::linearPage));
        return l;
    }

    /**
     * {@code length} bytes at {@code linear} in the address space of {@code state}, from kept pages only.
     * @throws NotRecordedException when a byte lies in a page the trace did not keep
     */
    public byte[] readLinear(GuestState state, long linear, int length) {
        long space = CodePage.spaceOf(state);
        long wrap = state.codeBits() == 64 ? -1L : 0xFFFFFFFFL;   // linear addresses wrap at 4 GiB outside 64-bit code
        byte[] out = new byte[length];
        int done = 0;
        while (done < length) {
            long at = (linear + done) & wrap;
            int off = (int) (at & (CodePage.SIZE - 1));
            int n = Math.min(length - done, CodePage.SIZE - off);
            CodePage p = pages.get(new Key(space, at >>> 12));
            if (p == null) {
                throw new NotRecordedException(at);
            }
            System.arraycopy(p.bytes(), off, out, done, n);
            done += n;
        }
        return out;
    }
}
