package dev.vmscope.app.ui.exits;

import dev.vmscope.app.ui.ExitSelection;
import dev.vmscope.app.ui.FxThread;
import dev.vmscope.app.ui.ReasonPalette;
import dev.vmscope.app.ui.kernel.KernelActivity;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.symbols.SymbolTable;
import dev.vmscope.engine.trace.ExitColumns;
import dev.vmscope.engine.trace.ExitSource;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ObservableListBase;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The exit list's model: a virtual list of rows over an exit source, however many millions of exits it
 * holds. Rows are made only when the table asks for them (visible ones); decoded records are fetched a window
 * at a time and a few windows are cached. Filters (reasons, vCPU, text) are evaluated off the FX thread into
 * a list of matching seqs, extended incrementally while a live run grows.
 *
 * <p><b>Paged.</b> The table is given a page of at most {@link #PAGE} rows of the whole list at a time
 * ({@link #pageStart()} onwards), and the view moves the page as the selection or the scroll position
 * moves. JavaFX's VirtualFlow walks every row above the one it shows on each layout (its size estimate and
 * scroll offset are sums over rows, even with a fixed row height): on 10M rows that cost a second or more per
 * selection; on a page it costs nothing. Indexes here are into the whole list unless named "page".
 */
public final class ExitTableViewModel {
    static final int WINDOW = 128;
    static final int CACHED_WINDOWS = 48;
    /** Rows the table holds at once. */
    public static final int PAGE = 4096;
    /** The page moves once the rows in view come this close to one of its ends. */
    static final int PAGE_MARGIN = 256;

    private final ExitSelection selection;
    private ExitSource source;
    private final Rows rows = new Rows();
    private int published;                       // rows of the whole list so far
    private int pageStart;                       // the first row of the page the table holds
    // filter
    private Set<Integer> reasons;                // null: every reason
    private int vcpu = -1;                       // -1: every vCPU
    private String text = "";
    private SeqSet columnMatches;                // reason/vCPU filter without text: the exits that match
    private ColumnIndex index;                   // the source's reason and vCPU bitsets, built off the FX thread
    private final TextMatches found = new TextMatches();   // text filter: the exits that match, ascending
    private long scannedUpTo;                    // filtered: seqs below this have been tested
    private final AtomicLong generation = new AtomicLong();
    private boolean filtering;
    /** The text pass's share done so far (written by its worker, shown in the summary). */
    private volatile double scanned;
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    private final Map<Long, ExitRecord[]> windows = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ExitRecord[]> e) {
            return size() > CACHED_WINDOWS;
        }
    };

    public ExitTableViewModel(ExitSelection selection) {
        this.selection = selection;
    }

    public ExitSelection selection() {
        return selection;
    }

    /** The rows for the table: an observable list whose elements are made on demand. */
    public ObservableListBase<ExitRow> rows() {
        return rows;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** e.g. "1,234 of 5,678 exits" or "5,678 exits". */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** The shown source's symbols (empty with no source). */
    SymbolTable symbols() {
        return source == null ? SymbolTable.EMPTY : source.symbols();
    }

    public ExitSource source() {
        return source;
    }

    public void setSource(ExitSource s) {
        source = s;
        index = s == null ? null : new ColumnIndex(s.columns());
        columnMatches = null;
        windows.clear();
        generation.incrementAndGet();
        int old = pageSize();
        published = 0;
        pageStart = 0;
        found.clear();
        scannedUpTo = 0;
        filtering = false;
        busy.set(false);
        rows.removed(old);
        refresh();
    }

    public boolean isFiltered() {
        return reasons != null || vcpu >= 0 || !text.isBlank();
    }

    /** Sets the filter; null or empty reasons mean every reason, vcpu -1 every vCPU, blank text no text. */
    public void setFilter(Set<Integer> reasonCodes, int vcpuIndex, String contains) {
        reasons = reasonCodes == null || reasonCodes.isEmpty() ? null : Set.copyOf(reasonCodes);
        vcpu = vcpuIndex;
        text = contains == null ? "" : contains.trim().toLowerCase(Locale.ROOT);
        generation.incrementAndGet();
        int old = pageSize();
        published = 0;
        pageStart = 0;
        found.clear();
        columnMatches = null;
        scannedUpTo = 0;
        filtering = false;
        busy.set(false);               // a pass still going for the old filter is dropped (its generation is old)
        rows.removed(old);
        refresh();
    }

    /**
     * Which reason codes the source has: from the reason/vCPU index, built (or extended) first, so that the
     * first filter finds it ready. Off the FX thread.
     */
    boolean[] reasonsPresent(ExitSource s) {
        ColumnIndex ix = index;
        if (s != source || ix == null) {
            return new boolean[256];
        }
        ix.extendTo(s.columns().size());
        return ix.reasonsPresent();
    }

    /** Catches up with the source (once per frame, on the FX thread): new rows, or more filter work. */
    public void refresh() {
        ExitSource s = source;
        long size = s == null ? 0 : s.columns().size();
        if (!isFiltered()) {
            int n = (int) Math.min(Integer.MAX_VALUE - 8, size);
            if (n < published) {
                rows.removed(pageSize());
                published = 0;
                pageStart = 0;
            }
            if (n > published) {
                grow(n);
            }
            summary.set(String.format("%,d exits", size));
            return;
        }
        if (!filtering && scannedUpTo < size) {
            startFilterScan(s, scannedUpTo, size);
        }
        String progress = !filtering ? "" : text.isEmpty() ? " (filtering…)"
                : String.format(" (filtering… %d %%)", (int) (scanned * 100));
        summary.set(String.format("%,d of %,d exits%s", published, size, progress));
    }

    /** Exits tested between two hand-overs of matches to the FX thread: the list fills while the scan goes on. */
    private static final int SCAN_BLOCK = 1 << 16;
    /**
     * The first block is small and each one after twice the one before, up to {@link #SCAN_BLOCK}: the first
     * matches show after a few thousand exits (about a millisecond), not after 64 Ki.
     */
    private static final int FIRST_SCAN_BLOCK = 1 << 12;
    /** A text pass over at least this many exits is split over two cores. */
    private static final long SPLIT_AT = 1 << 18;

    /**
     * Filters exits {@code from} to {@code to} on a worker: reasons and vCPU through the column index (the whole
     * list below {@code to} at once: a few word operations), text on decoded exits. Text matches go to the list
     * block by block, so the first ones show while the rest are still being looked for; a newer filter
     * (generation) stops the scan.
     */
    private void startFilterScan(ExitSource s, long from, long to) {
        filtering = true;
        busy.set(true);
        long gen = generation.get();
        boolean[] rs = reasons == null ? null : reasonMask(reasons);
        int vc = vcpu;
        String tx = text;
        ColumnIndex ix = index;
        FxThread.background(() -> {
            SeqSet cols = rs == null && vc < 0 ? null : ix.select(rs, vc, to);
            if (tx.isEmpty()) {
                FxThread.run(() -> {
                    if (generation.get() == gen) {
                        columnMatches = cols;
                        scannedUpTo = to;
                        filtering = false;
                        busy.set(false);
                        grow(cols.size());
                        refresh();
                    }
                });
                return;
            }
            // exits whose reason name holds the text are listed at once, from the index; the pass skips them
            boolean[] byName = reasonsNamed(rs, tx);
            long[] named = byName == null ? null : ix.members(byName, vc, from, to, TextMatches.NAMED_MAX);
            boolean[] skip = named == null || named.length == 0 ? null : byName;
            if (skip != null) {
                FxThread.run(() -> {
                    if (generation.get() == gen) {
                        appendNamed(named);
                        refresh();
                    }
                });
            }
            // a long pass is split in two: the second half is scanned on another core beside the first, and its
            // matches are listed after the first half's (the list stays in seq order)
            long mid = to - from >= SPLIT_AT ? from + (to - from) / 2 : to;
            CompletableFuture<long[]> second = mid == to ? CompletableFuture.completedFuture(new long[0])
                    : CompletableFuture.supplyAsync(() -> textScan(s, cols, skip, tx, mid, to, gen, null),
                    ForkJoinPool.commonPool());
            scanned = 0;
            long[] firstRest = textScan(s, cols, skip, tx, from, mid, gen, part -> FxThread.run(() -> {
                if (generation.get() == gen) {
                    append(part, part.length);
                    refresh();
                }
            }));
            long[] secondAll = firstRest == null ? null : second.join();
            if (secondAll == null) {
                return;                         // a newer filter (or none): this pass is cancelled
            }
            FxThread.run(() -> {
                if (generation.get() != gen) {
                    return;
                }
                scannedUpTo = to;
                filtering = false;
                busy.set(false);
                append(firstRest, firstRest.length);
                append(secondAll, secondAll.length);
                refresh();
            });
        });
    }

    /**
     * Tests exits {@code from} to {@code to} against the text, block by block; with {@code handOver}, the matches
     * found so far go to it after each block that found any (or, for the progress shown, none for 0.1 s), so the
     * first ones show while the rest are still being looked for. Returns the matches not handed over, or null when a newer filter
     * (generation) stopped the pass.
     */
    private long[] textScan(ExitSource s, SeqSet cols, boolean[] skip, String tx, long from, long to, long gen,
                            Consumer<long[]> handOver) {
        TextMatcher matcher = new TextMatcher(tx, s.symbols());
        long[][] found = {new long[1024]};
        int[] count = {0};
        long shown = System.nanoTime();
        long block = FIRST_SCAN_BLOCK;
        for (long q0 = from; q0 < to; q0 += block, block = Math.min(SCAN_BLOCK, block * 2)) {
            if (generation.get() != gen) {
                return null;
            }
            long end = Math.min(to, q0 + block);
            s.scanInto(q0, end, e -> {
                if ((cols == null || cols.contains(e.seq)) && (skip == null || !skip[TextMatcher.code(e.rawReason)])
                        && matcher.matches(e)) {
                    found[0] = add(found[0], count, e.seq);
                }
            });
            long now = System.nanoTime();
            // the matches so far go to the list at once; progress alone at most ten times a second
            if (handOver != null && end < to && (count[0] > 0 || now - shown > 100_000_000L)) {
                shown = now;
                scanned = (double) (end - from) / (to - from);
                handOver.accept(Arrays.copyOf(found[0], count[0]));
                count[0] = 0;
            }
        }
        return generation.get() != gen ? null : Arrays.copyOf(found[0], count[0]);
    }

    /**
     * The reasons (among those the reason filter keeps, null: all) whose name holds the text, or null when none
     * does. Their exits are listed from the index ahead of the pass, which then skips them by reason.
     */
    private static boolean[] reasonsNamed(boolean[] reasons, String tx) {
        boolean[] named = new boolean[256];
        boolean any = false;
        for (int c = 0; c < 256; c++) {
            named[c] = (reasons == null || reasons[c]) && TextMatcher.reasonNameHolds(c, tx);
            any |= named[c];
        }
        return any ? named : null;
    }

    /** The reason codes to keep, indexed by code: no boxing per exit. */
    private static boolean[] reasonMask(Set<Integer> codes) {
        boolean[] m = new boolean[256];
        for (int i = 0; i < m.length; i++) {
            m[i] = codes.contains(i);
        }
        return m;
    }

    private static long[] add(long[] a, int[] n, long v) {
        if (n[0] == a.length) {
            a = Arrays.copyOf(a, a.length * 2);
        }
        a[n[0]++] = v;
        return a;
    }

    /** A pass's next matches: at the list's end, or, when exits found by reason name are listed, among them. */
    private void append(long[] seqs, int n) {
        if (n == 0) {
            return;
        }
        boolean amongNamed = found.hasNamed();
        found.addScanned(seqs, n);
        if (amongNamed) {
            relist();
        } else {
            grow(Math.min(Integer.MAX_VALUE - 8, found.size()));
        }
    }

    /** Exits found by reason name before the pass: they may land anywhere in the list, so the page is redone. */
    private void appendNamed(long[] seqs) {
        if (seqs.length > 0) {
            found.addNamed(seqs, seqs.length);
            relist();
        }
    }

    /** The list changed anywhere: the page's rows are all replaced. */
    private void relist() {
        int old = pageSize();
        published = Math.min(Integer.MAX_VALUE - 8, found.size());
        rows.replaced(old, pageSize());
    }

    /** The whole list grew to {@code n} rows: the page takes what it has room for. */
    private void grow(int n) {
        int old = pageSize();
        published = n;
        int now = pageSize();
        if (now > old) {
            rows.added(old, now);
        }
    }

    /** The first row of the page the table holds. */
    public int pageStart() {
        return pageStart;
    }

    /** Rows in the page (at most {@link #PAGE}). */
    public int pageSize() {
        return Math.max(0, Math.min(PAGE, published - pageStart));
    }

    /**
     * Makes sure row {@code index} of the whole list is in the page, well away from its ends (unless the list
     * ends there); moves the page so the row sits in its middle when not. Returns true when the page moved
     * (the table's rows were all replaced). FX thread.
     */
    public boolean pageTo(int index) {
        int size = pageSize();
        boolean inside = index >= pageStart && index < pageStart + size
                && (index >= pageStart + PAGE_MARGIN || pageStart == 0)
                && (index < pageStart + size - PAGE_MARGIN || pageStart + size >= published);
        if (inside || index < 0 || index >= published) {
            return false;
        }
        int start = Math.max(0, Math.min(index - PAGE / 2, published - PAGE));
        if (start == pageStart) {
            return false;
        }
        pageStart = start;
        rows.replaced(size, pageSize());
        return true;
    }

    /** Rows of the whole list (matching the filter, or every exit). */
    public int rowCount() {
        return published;
    }

    /** The seq shown at row {@code index}. */
    public long seqAt(int index) {
        if (!isFiltered()) {
            return index;
        }
        return text.isEmpty() ? columnMatches.seqAt(index) : found.seqAt(index);
    }

    /** The row showing {@code seq}, or -1 when it is filtered out (or not listed yet). */
    public int indexOf(long seq) {
        if (seq < 0) {
            return -1;
        }
        if (!isFiltered()) {
            return seq < published ? (int) seq : -1;
        }
        if (text.isEmpty()) {
            int i = columnMatches == null ? -1 : columnMatches.indexOf(seq);
            return i < published ? i : -1;
        }
        int i = found.indexOf(seq);
        return i < published ? i : -1;
    }

    /** The decoded record of exit {@code seq}, fetched with its window of neighbours and cached. */
    /** Kernel events before exit {@code seq} since its vCPU's previous exit; -1 when the run has none. */
    long kernelEventsBefore(long seq) {
        ExitSource s = source;
        return s == null || seq >= s.columns().size() ? -1 : KernelActivity.countBefore(s, seq);
    }

    ExitRecord record(long seq) {
        ExitSource s = source;
        if (s == null) {
            return null;
        }
        long w = seq / WINDOW;
        ExitRecord[] win = windows.get(w);
        if (win == null || win[(int) (seq % WINDOW)] == null) {
            long from = w * WINDOW;
            long to = Math.min(from + WINDOW, s.columns().size());
            ExitRecord[] fresh = new ExitRecord[WINDOW];
            s.scan(from, to, r -> fresh[(int) (r.seq() - from)] = r);
            windows.put(w, fresh);
            win = fresh;
        }
        return win[(int) (seq % WINDOW)];
    }

    /** The virtual list itself: the page's rows, made on demand. */
    private final class Rows extends ObservableListBase<ExitRow> {
        @Override
        public ExitRow get(int index) {
            if (index < 0 || index >= pageSize()) {
                throw new IndexOutOfBoundsException(index);
            }
            long seq = seqAt(pageStart + index);
            ExitColumns c = source.columns();
            return new ExitRow(ExitTableViewModel.this, seq, c.timeNs(seq), c.vcpu(seq), c.reasonCode(seq));
        }

        @Override
        public int size() {
            return pageSize();
        }

        void added(int from, int to) {
            beginChange();
            nextAdd(from, to);
            endChange();
        }

        /** Every row of the page changed (it moved). */
        void replaced(int oldSize, int newSize) {
            if (oldSize == 0 && newSize == 0) {
                return;
            }
            beginChange();
            if (oldSize > 0) {
                nextRemove(0, java.util.Collections.nCopies(oldSize, (ExitRow) null));
            }
            if (newSize > 0) {
                nextAdd(0, newSize);
            }
            endChange();
        }

        void removed(int oldSize) {
            if (oldSize == 0) {
                return;
            }
            beginChange();
            // the removed elements are not kept; the table only needs the count
            nextRemove(0, java.util.Collections.nCopies(oldSize, (ExitRow) null));
            endChange();
        }
    }
}
