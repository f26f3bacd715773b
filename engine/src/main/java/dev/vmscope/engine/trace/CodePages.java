package dev.vmscope.engine.trace;

import dev.vmscope.engine.exit.GuestState;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The code pages a run executed from, keyed by address space and linear page; the first copy of a page
 * wins (code that rewrites itself later is shown as it first ran). Any thread.
 */
public final class CodePages {
    private record Key(long space, long page) {
    }

    private final ConcurrentHashMap<Key, CodePage> pages = new ConcurrentHashMap<>();

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

    /** Keeps {@code p} unless that page is already kept; true if it was added. */
    public boolean add(CodePage p) {
        return pages.putIfAbsent(new Key(p.space(), p.linearPage()), p) == null;
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
        byte[] out = new byte[length];
        int done = 0;
        while (done < length) {
            long at = linear + done;
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
