package dev.vmscope.app.ui.timeline;

import dev.vmscope.app.ui.ExitSelection;
import dev.vmscope.app.ui.kernel.KernelSummary;
import dev.vmscope.engine.kernel.KernelEvent;
import dev.vmscope.engine.kernel.KernelEvents;
import dev.vmscope.app.ui.FxThread;
import dev.vmscope.app.ui.ReasonPalette;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.time.Pause;
import dev.vmscope.engine.time.TimeText;
import dev.vmscope.engine.trace.BreakpointHit;
import dev.vmscope.engine.trace.ExitColumns;
import dev.vmscope.engine.trace.ExitSource;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The state of the vCPU timeline: which exit source, which slice of time is in view, what the pointer
 * hovers over. No nodes: the view draws from it, tests drive it directly. Times are ns on the run's clock (from the
 * guest's first instruction, the debugger's pauses cut out).
 */
public final class TimelineViewModel {
    /** The narrowest view: 1 ns per pixel. */
    static final double MIN_NS_PER_PIXEL = 1.0;
    /** How far (px) from a mark a click or hover still finds it. */
    static final double HIT_RADIUS_PX = 5;

    private final ExitSelection selection;
    private final ReadOnlyObjectWrapper<ExitSource> source = new ReadOnlyObjectWrapper<>(this, "source");
    private final DoubleProperty viewStart = new SimpleDoubleProperty(this, "viewStart", 0);
    private final DoubleProperty viewEnd = new SimpleDoubleProperty(this, "viewEnd", 1);
    /** While true the view keeps the whole run in sight as it grows; zooming or panning turns it off. */
    private final BooleanProperty follow = new SimpleBooleanProperty(this, "follow", true);
    private final StringProperty hoverText = new SimpleStringProperty(this, "hoverText", "");
    private final DoubleProperty fontScale = new SimpleDoubleProperty(this, "fontScale", 1.0);
    private volatile ReasonSummary summary;
    private final AtomicBoolean extending = new AtomicBoolean();
    private Runnable onSummaryGrew = () -> { };
    /** The kernel sub-lanes' summary; null when the source has no kernel events. */
    private volatile KernelSummary kernel;
    private final AtomicBoolean kernelExtending = new AtomicBoolean();
    private double plotWidth = 800;
    private List<BreakpointHit> hits = List.of();

    public TimelineViewModel(ExitSelection selection) {
        this.selection = selection;
    }

    public ExitSelection selection() {
        return selection;
    }

    public void setSource(ExitSource s) {
        source.set(s);
        summary = s == null ? null : new ReasonSummary(s.columns(), Math.max(1, s.machine().vcpus()));
        hits = s == null ? List.of() : s.breakpointHits();
        kernel = kernelSummaryOf(s);
        follow.set(true);
        fitAll();
        updateSummary();
        updateKernel();
    }

    /** Whether a run shows kernel sub-lanes (it captured kernel events). */
    public static boolean hasKernelLanes(ExitSource s) {
        return s != null && s.kernelEvents().capture().on();
    }

    private static KernelSummary kernelSummaryOf(ExitSource s) {
        return !hasKernelLanes(s) ? null
                : new KernelSummary(s.kernelEvents(), Math.max(1, s.machine().vcpus()));
    }

    /** The kernel sub-lanes' summary, or null when the run has no kernel events (no sub-lanes then). */
    public KernelSummary kernel() {
        return kernel;
    }

    /** The source's kernel events were replaced (a trace read to its end brings them): summarise the new ones. */
    public void kernelEventsReplaced() {
        kernel = kernelSummaryOf(source.get());
        updateKernel();
    }

    /** Called once per frame at most when the source has new kernel events: extends their summary off the FX thread. */
    public void onKernelGrew() {
        updateKernel();
    }

    private void updateKernel() {
        KernelSummary k = kernel;
        if (k == null || k.complete() || !kernelExtending.compareAndSet(false, true)) {
            return;
        }
        FxThread.background(() -> {
            try {
                k.extend();
            } finally {
                kernelExtending.set(false);
            }
            FxThread.run(() -> {
                onSummaryGrew.run();
                updateKernel();          // events published while it ran
            });
        });
    }

    /** Sets the source and builds its summary on the calling thread (tests and tools, no toolkit needed). */
    public void setSourceForTest(ExitSource s) {
        source.set(s);
        summary = s == null ? null : new ReasonSummary(s.columns(), Math.max(1, s.machine().vcpus()));
        hits = s == null ? List.of() : s.breakpointHits();
        kernel = kernelSummaryOf(s);
        if (kernel != null) {
            kernel.extend();
        }
        follow.set(true);
        buildSummaryNow();
        fitAll();
    }

    public ReadOnlyObjectProperty<ExitSource> sourceProperty() {
        return source.getReadOnlyProperty();
    }

    public ExitSource source() {
        return source.get();
    }

    public ReasonSummary summary() {
        return summary;
    }

    /** Called on the FX thread when the summary has grown (the view redraws). */
    public void setOnSummaryGrew(Runnable r) {
        onSummaryGrew = r;
    }

    /**
     * Extends the reason summary on a background worker if the source has grown past it; the FX thread only
     * calls this (once per frame at most) and never waits for it.
     */
    public void updateSummary() {
        ReasonSummary s = summary;
        if (s == null || s.built() + ReasonSummary.BASE > columnsSize() || !extending.compareAndSet(false, true)) {
            return;
        }
        FxThread.background(() -> {
            try {
                s.extend();
            } finally {
                extending.set(false);
            }
            FxThread.run(() -> onSummaryGrew.run());
        });
    }

    private long columnsSize() {
        ExitSource src = source.get();
        return src == null ? 0 : src.columns().size();
    }

    /** Builds the summary on the calling thread (benchmarks and tests; never the FX thread for big runs). */
    public void buildSummaryNow() {
        if (summary != null) {
            summary.extend();
        }
    }

    public int lanes() {
        ExitSource s = source.get();
        return s == null ? 1 : Math.max(1, s.machine().vcpus());
    }

    public void refreshHits() {
        ExitSource s = source.get();
        hits = s == null ? List.of() : s.breakpointHits();
    }

    public List<BreakpointHit> hits() {
        return hits;
    }

    public DoubleProperty viewStartProperty() {
        return viewStart;
    }

    public DoubleProperty viewEndProperty() {
        return viewEnd;
    }

    public BooleanProperty followProperty() {
        return follow;
    }

    public StringProperty hoverTextProperty() {
        return hoverText;
    }

    public DoubleProperty fontScaleProperty() {
        return fontScale;
    }

    public double viewStart() {
        return viewStart.get();
    }

    public double viewEnd() {
        return viewEnd.get();
    }

    public double span() {
        return viewEnd.get() - viewStart.get();
    }

    public void setPlotWidth(double w) {
        plotWidth = Math.max(1, w);
    }

    public double plotWidth() {
        return plotWidth;
    }

    /** The end of the run so far (time of the last exit), at least 1 ns. */
    public double runEnd() {
        ExitSource s = source.get();
        if (s == null) {
            return 1;
        }
        ExitColumns c = s.columns();
        long n = c.size();
        double end = n == 0 ? 1 : Math.max(1, c.timeNs(n - 1));
        KernelSummary k = kernel;
        long kn = k == null ? 0 : k.events().size();
        return n == 0 || kn == 0 ? end : Math.max(end, k.events().timeNs(kn - 1));   // the kernel's side too
    }

    /** The time of the first exit or kernel event (a live run may sit paused a while before it), 0 when there is none. */
    public double runStart() {
        ExitSource s = source.get();
        if (s == null || s.columns().size() == 0) {
            return 0;
        }
        KernelSummary k = kernel;
        long first = s.columns().timeNs(0);
        // what the kernel did before the first exit (longmode emulates its whole switch to 64-bit there)
        return k == null || k.events().size() == 0 ? first : Math.min(first, k.events().timeNs(0));
    }

    /** The whole run, first exit to last, with a small margin so the end marks are not on the edge. */
    public void fitAll() {
        double start = runStart();
        double end = Math.max(start + 1, runEnd());
        double margin = (end - start) * 0.01 + 1;
        setView(start - margin, end + margin);
    }

    /** Called once per frame: a following view keeps the whole run in sight. */
    public void onSourceGrew() {
        if (follow.get()) {
            fitAll();
        }
        updateSummary();
    }

    private void setView(double start, double end) {
        double minSpan = MIN_NS_PER_PIXEL * plotWidth;
        if (end - start < minSpan) {
            double mid = (start + end) / 2;
            start = mid - minSpan / 2;
            end = mid + minSpan / 2;
        }
        // never wider than the run (plus a margin), never off its ends
        double lo = runStart();
        double hi = Math.max(lo + 1, runEnd());
        double margin = (hi - lo) * 0.01 + 1;
        lo -= margin;
        hi += margin;
        double span = end - start;
        if (span >= hi - lo) {
            double mid = (lo + hi) / 2;
            start = mid - span / 2;
            end = mid + span / 2;
        } else if (start < lo) {
            start = lo;
            end = lo + span;
        } else if (end > hi) {
            end = hi;
            start = hi - span;
        }
        viewStart.set(start);
        viewEnd.set(end);
    }

    /** Zooms by {@code factor} (>1 in) keeping the time under {@code anchorX} (px in the plot) still. */
    public void zoom(double factor, double anchorX) {
        follow.set(false);
        double t = timeAt(anchorX);
        double frac = anchorX / plotWidth;
        double newSpan = span() / factor;
        setView(t - frac * newSpan, t - frac * newSpan + newSpan);
    }

    /**
     * Zoom per wheel notch (JavaFX reports a notch as 40 of deltaY; trackpads send fractions): twice per notch, so
     * about 18 notches take a 10M-exit run (tens of seconds) down to a few dozen exits across the view.
     */
    static final double NOTCH_FACTOR = 2;
    static final double NOTCH_DELTA = 40;
    /** How many exits "zoom to selection" shows either side of the selected one. */
    static final int SELECTION_NEIGHBOURS = 10;

    /** A wheel turn of {@code deltaY} at plot x {@code anchorX}: the time under the pointer stays put. */
    public void wheel(double deltaY, double anchorX) {
        zoom(Math.pow(NOTCH_FACTOR, deltaY / NOTCH_DELTA), anchorX);
    }

    /** Zooms to the selected exit and its neighbours (a few dozen exits across the view), centred on it. */
    public void zoomToSelection() {
        ExitSource s = source.get();
        long seq = selection.seq();
        if (s == null || seq < 0 || seq >= s.columns().size()) {
            return;
        }
        ExitColumns c = s.columns();
        long lo = Math.max(0, seq - SELECTION_NEIGHBOURS);
        long hi = Math.min(c.size() - 1, seq + SELECTION_NEIGHBOURS);
        double t = c.timeNs(seq);
        double half = Math.max(t - c.timeNs(lo), c.timeNs(hi) - t) * 1.1;
        follow.set(false);
        setView(t - half, t + half);
    }

    public void zoomIn() {
        zoom(2, plotWidth / 2);
    }

    public void zoomOut() {
        zoom(0.5, plotWidth / 2);
    }

    /** Pans by {@code dx} pixels (positive: later in time), stopping at the ends of the run. */
    public void panPixels(double dx) {
        follow.set(false);
        double dt = dx * nsPerPixel();
        setView(viewStart.get() + dt, viewEnd.get() + dt);
    }

    /** Centres the view on time {@code t} keeping the zoom. */
    public void centreOn(double t) {
        follow.set(false);
        double span = span();
        setView(t - span / 2, t + span / 2);
    }

    /** Moves the view so exit {@code seq} is inside it (centred if it was out of sight). */
    public void ensureVisible(long seq) {
        ExitSource s = source.get();
        if (s == null || seq < 0 || seq >= s.columns().size()) {
            return;
        }
        double t = s.columns().timeNs(seq);
        double margin = span() * 0.02;
        if (t < viewStart.get() + margin || t > viewEnd.get() - margin) {
            centreOn(t);
        }
    }

    public double nsPerPixel() {
        return span() / plotWidth;
    }

    public double timeAt(double x) {
        return viewStart.get() + x * nsPerPixel();
    }

    public double xOf(double t) {
        return (t - viewStart.get()) / nsPerPixel();
    }

    /**
     * The exit on {@code lane} nearest to plot x {@code x}, within {@link #HIT_RADIUS_PX}; -1 if none. Looks
     * at a bounded number of exits, however dense the run.
     */
    public long hitTest(double x, int lane) {
        ExitSource s = source.get();
        if (s == null) {
            return -1;
        }
        ExitColumns c = s.columns();
        long n = c.size();
        if (n == 0) {
            return -1;
        }
        double t = timeAt(x);
        double radius = HIT_RADIUS_PX * nsPerPixel();
        long mid = c.firstAtOrAfter((long) Math.ceil(t));
        long best = -1;
        double bestDist = radius;
        long lo = mid - 1;
        long hi = mid;
        for (int steps = 0; steps < 200_000 && (lo >= 0 || hi < n); steps++) {
            boolean any = false;
            if (hi < n) {
                double d = c.timeNs(hi) - t;
                if (d <= bestDist) {
                    any = true;
                    if (c.vcpu(hi) == lane && Math.abs(d) <= bestDist) {
                        best = hi;
                        bestDist = Math.abs(d);
                    }
                    hi++;
                } else {
                    hi = n;
                }
            }
            if (lo >= 0) {
                double d = t - c.timeNs(lo);
                if (d <= bestDist) {
                    any = true;
                    if (c.vcpu(lo) == lane && d < bestDist) {
                        best = lo;
                        bestDist = d;
                    }
                    lo--;
                } else {
                    lo = -1;
                }
            }
            if (!any) {
                break;
            }
        }
        return best;
    }

    /** Selects the exit under plot x on {@code lane}; returns it (or -1, leaving the selection alone). */
    public long clickAt(double x, int lane) {
        long seq = hitTest(x, lane);
        if (seq >= 0) {
            selection.select(seq);
        }
        return seq;
    }

    /** Updates the hover text for the pointer at plot x on {@code lane}. */
    public void hoverAt(double x, int lane) {
        long seq = hitTest(x, lane);
        ExitSource s = source.get();
        double t = timeAt(x);
        Pause p = s == null ? null : PauseMarks.near(s.pauses(), t, HIT_RADIUS_PX * nsPerPixel());
        // a step's pause sits right beside its exit: the nearer of the two speaks
        if (p != null && (seq < 0 || Math.abs(p.atNs() - t) < Math.abs(s.columns().timeNs(seq) - t))) {
            hoverText.set(PauseMarks.describe(p));
        } else {
            hoverText.set(seq < 0 ? "" : describe(seq));
        }
    }

    public void clearHover() {
        hoverText.set("");
    }

    /**
     * The kernel event of vCPU {@code lane} nearest to plot x {@code x}, within {@link #HIT_RADIUS_PX}; -1 if
     * none. Two binary searches, however many events there are.
     */
    public long kernelHitTest(double x, int lane) {
        KernelSummary k = kernel;
        if (k == null || lane < 0 || lane >= k.vcpus()) {
            return -1;
        }
        KernelEvents e = k.events();
        double t = timeAt(x);
        long at = e.firstOfVcpuAfter(lane, (long) Math.floor(t));
        long best = -1;
        double bestDist = HIT_RADIUS_PX * nsPerPixel();
        for (long kk = at - 1; kk <= at; kk++) {
            if (kk >= 0 && kk < e.countOf(lane)) {
                long i = e.indexOf(lane, kk);
                double d = Math.abs(e.timeNs(i) - t);
                if (d <= bestDist) {
                    best = i;
                    bestDist = d;
                }
            }
        }
        return best;
    }

    /** Updates the hover text for the pointer at plot x in vCPU {@code lane}'s kernel sub-lane. */
    public void hoverKernelAt(double x, int lane) {
        long i = kernelHitTest(x, lane);
        hoverText.set(i < 0 ? "" : describeKernel(i));
    }

    /**
     * Selects the user-space exit that kernel event under plot x on {@code lane} came before (the vCPU's next
     * exit); returns it, or -1.
     */
    public long clickKernelAt(double x, int lane) {
        long i = kernelHitTest(x, lane);
        ExitSource s = source.get();
        if (i < 0 || s == null) {
            return -1;
        }
        ExitColumns c = s.columns();
        long n = c.size();
        for (long q = c.firstAtOrAfter(kernel.events().timeNs(i)), steps = 0; q < n && steps < 1_000_000; q++, steps++) {
            if (c.vcpu(q) == lane) {
                selection.select(q);
                return q;
            }
        }
        return -1;
    }

    /** A tooltip for kernel event {@code i}: its name, vCPU, time and what it did (one event decoded). */
    public String describeKernel(long i) {
        KernelSummary k = kernel;
        if (k == null) {
            return "";
        }
        KernelEvent e = k.events().get(i);
        return "kernel  " + e.name() + "  vCPU " + e.vcpu() + "  " + TimeText.instant(e.timeNs()) + "\n" + e.summary();
    }

    /** One or two lines for a tooltip: seq, reason, vCPU, time, decoded detail. */
    public String describe(long seq) {
        ExitSource s = source.get();
        if (s == null) {
            return "";
        }
        ExitColumns c = s.columns();
        StringBuilder b = new StringBuilder();
        b.append('#').append(seq).append("  ").append(ReasonPalette.name(c.reasonCode(seq)))
                .append("  vCPU ").append(c.vcpu(seq))
                .append("  ").append(TimeText.instant(c.timeNs(seq)));
        ExitRecord r = s.get(seq);
        if (r != null) {
            b.append('\n').append(r.exit().detail()).append(String.format("  (RIP 0x%x%s)", r.state().rip(),
                    s.symbols().suffix(r.state().codeLinearAddress())));
        }
        return b.toString();
    }
}
