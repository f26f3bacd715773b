package dev.vmscope.app.ui.exits;

import dev.vmscope.app.ui.ExitSelection;
import dev.vmscope.app.ui.FxThread;
import dev.vmscope.app.ui.ReasonPalette;
import dev.vmscope.app.ui.kernel.KernelActivity;
import dev.vmscope.engine.exit.ExitRecord;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * The exit list's model: a virtual list of rows over an exit source, however many millions of exits it
 * holds. Rows are made only when the table asks for them (visible ones); decoded records are fetched a window
 * at a time and a few windows are cached. Filters (reasons, vCPU, text) are evaluated off the FX thread into
 * a list of matching seqs, extended incrementally while a live run grows.
 */
public final class ExitTableViewModel {
    static final int WINDOW = 128;
    static final int CACHED_WINDOWS = 48;

    private final ExitSelection selection;
    private ExitSource source;
    private final Rows rows = new Rows();
    private int published;                       // rows the table has been told about
    // filter
    private Set<Integer> reasons;                // null: every reason
    private int vcpu = -1;                       // -1: every vCPU
    private String text = "";
    private long[] matches = new long[0];        // filtered: seqs that match, ascending
    private int matchCount;
    private long scannedUpTo;                    // filtered: seqs below this have been tested
    private final AtomicLong generation = new AtomicLong();
    private boolean filtering;
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
    dev.vmscope.engine.symbols.SymbolTable symbols() {
        return source == null ? dev.vmscope.engine.symbols.SymbolTable.EMPTY : source.symbols();
    }

    public ExitSource source() {
        return source;
    }

    public void setSource(ExitSource s) {
        source = s;
        windows.clear();
        generation.incrementAndGet();
        int old = published;
        published = 0;
        matchCount = 0;
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
        int old = published;
        published = 0;
        matchCount = 0;
        scannedUpTo = 0;
        filtering = false;
        rows.removed(old);
        refresh();
    }

    /** Catches up with the source (once per frame, on the FX thread): new rows, or more filter work. */
    public void refresh() {
        ExitSource s = source;
        long size = s == null ? 0 : s.columns().size();
        if (!isFiltered()) {
            int n = (int) Math.min(Integer.MAX_VALUE - 8, size);
            if (n < published) {
                rows.removed(published);
                published = 0;
            }
            if (n > published) {
                int old = published;
                published = n;
                rows.added(old, n);
            }
            summary.set(String.format("%,d exits", size));
            return;
        }
        if (!filtering && scannedUpTo < size) {
            startFilterScan(s, scannedUpTo, size);
        }
        summary.set(String.format("%,d of %,d exits%s", matchCount, size, filtering ? " (filtering…)" : ""));
    }

    private void startFilterScan(ExitSource s, long from, long to) {
        filtering = true;
        busy.set(true);
        long gen = generation.get();
        Set<Integer> rs = reasons;
        int vc = vcpu;
        String tx = text;
        FxThread.background(() -> {
            long[] found = new long[1024];
            int[] count = {0};
            ExitColumns c = s.columns();
            if (tx.isEmpty()) {
                for (long q = from; q < to; q++) {
                    if ((q & 0xFFFF) == 0 && generation.get() != gen) {
                        return;
                    }
                    if ((vc < 0 || c.vcpu(q) == vc) && (rs == null || rs.contains(c.reasonCode(q)))) {
                        found = add(found, count, q);
                    }
                }
            } else {
                long[][] box = {found};
                for (long q0 = from; q0 < to; q0 += 4096) {
                    if (generation.get() != gen) {
                        return;
                    }
                    s.scan(q0, Math.min(to, q0 + 4096), r -> {
                        if ((vc < 0 || r.vcpu() == vc) && (rs == null || rs.contains(c.reasonCode(r.seq())))
                                && matchesText(r, c.reasonCode(r.seq()), tx, s.symbols())) {
                            box[0] = add(box[0], count, r.seq());
                        }
                    });
                }
                found = box[0];
            }
            long[] result = found;
            FxThread.run(() -> {
                if (generation.get() != gen) {
                    return;
                }
                append(result, count[0]);
                scannedUpTo = to;
                filtering = false;
                busy.set(false);
                refresh();
            });
        });
    }

    private static long[] add(long[] a, int[] n, long v) {
        if (n[0] == a.length) {
            a = Arrays.copyOf(a, a.length * 2);
        }
        a[n[0]++] = v;
        return a;
    }

    /** Text filter: the reason name, the decoded detail, the RIP in hex or by symbol, or "#seq". */
    static boolean matchesText(ExitRecord r, int reasonCode, String lower,
                               dev.vmscope.engine.symbols.SymbolTable symbols) {
        if (ReasonPalette.name(reasonCode).toLowerCase(Locale.ROOT).contains(lower)) {
            return true;
        }
        return r.exit().detail().toLowerCase(Locale.ROOT).contains(lower)
                || String.format("0x%x", r.state().rip()).contains(lower)
                || symbols.suffix(r.state().codeLinearAddress()).toLowerCase(java.util.Locale.ROOT).contains(lower)
                || ("#" + r.seq()).equals(lower);
    }

    private void append(long[] found, int n) {
        if (matchCount + n > matches.length) {
            matches = Arrays.copyOf(matches, Math.max(matches.length * 2, matchCount + n));
        }
        System.arraycopy(found, 0, matches, matchCount, n);
        matchCount += n;
        int old = published;
        published = (int) Math.min(Integer.MAX_VALUE - 8, matchCount);
        if (published > old) {
            rows.added(old, published);
        }
    }

    public int rowCount() {
        return published;
    }

    /** The seq shown at row {@code index}. */
    public long seqAt(int index) {
        return isFiltered() ? matches[index] : index;
    }

    /** The row showing {@code seq}, or -1 when it is filtered out (or not listed yet). */
    public int indexOf(long seq) {
        if (seq < 0) {
            return -1;
        }
        if (!isFiltered()) {
            return seq < published ? (int) seq : -1;
        }
        int i = Arrays.binarySearch(matches, 0, published, seq);
        return i >= 0 ? i : -1;
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

    /** The virtual list itself: size from the published count, elements made on demand. */
    private final class Rows extends ObservableListBase<ExitRow> {
        @Override
        public ExitRow get(int index) {
            if (index < 0 || index >= published) {
                throw new IndexOutOfBoundsException(index);
            }
            long seq = seqAt(index);
            ExitColumns c = source.columns();
            return new ExitRow(ExitTableViewModel.this, seq, c.timeNs(seq), c.vcpu(seq), c.reasonCode(seq));
        }

        @Override
        public int size() {
            return published;
        }

        void added(int from, int to) {
            beginChange();
            nextAdd(from, to);
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
