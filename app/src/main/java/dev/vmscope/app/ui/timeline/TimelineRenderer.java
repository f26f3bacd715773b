package dev.vmscope.app.ui.timeline;

import dev.vmscope.app.ui.ExitSelection;
import dev.vmscope.app.ui.ReasonPalette;
import dev.vmscope.engine.time.TimeText;
import dev.vmscope.engine.trace.BreakpointHit;
import dev.vmscope.engine.trace.ExitColumns;
import dev.vmscope.engine.trace.ExitSource;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

import java.util.Arrays;
import java.util.List;

/**
 * Draws the timeline: minimap with the viewport box, time axis, one lane per vCPU, breakpoint hits and the
 * selection. Cost follows pixels, not exits: when exits are sparse each gets its own mark; when many share a
 * pixel column the renderer asks the {@link ReasonSummary} which reasons happened there per vCPU and draws
 * one mark per column per lane (split by reason, at most {@link #MAX_SEGMENTS} colours), merging runs of
 * identical columns into one rectangle. With kernel events, each lane's bottom is the vCPU's kernel sub-lane
 * ({@link KernelLaneRenderer}).
 */
public final class TimelineRenderer {
    static final int MAX_SEGMENTS = 3;
    private static final int IO_CODE = dev.vmscope.engine.exit.KvmExitReason.IO.code;
    /** Exits must be this many px apart on average to be drawn one by one. */
    static final double INDIVIDUAL_SPACING_PX = 3;

    private static final int[] ARGB = new int[64];
    /** "More reasons than fit in the column": light, so it does not read as HLT's dark grey. */
    static final Color MORE = Color.web("#d4d4d8");
    private static final int GREY_ARGB = argb(MORE);

    static {
        for (int b = 0; b < 64; b++) {
            ARGB[b] = argb(ReasonPalette.colorOfBit(b));
        }
    }

    private final KernelLaneRenderer kernelLanes = new KernelLaneRenderer();
    private final LaneLabels labels = new LaneLabels();
    private final PixelBand band = new PixelBand();
    private int[] colColors = new int[0];
    private int[] colSegs = new int[0];
    private long[] bounds = new long[0];
    private long[][] masks = new long[0][];
    private long[] minimap = new long[0];
    private long minimapSize = -1;
    private int minimapWidth = -1;
    private ReasonSummary minimapSummary;
    private long minimapBuilt = -1;
    /** Columns drawn last frame (for tests and the benchmark). */
    private int lastMarks;
    private boolean lastExact = true;

    /** The geometry of one frame; the view uses it to map the pointer back to lanes and times. */
    public record Layout(double width, double height, double minimapTop, double minimapHeight, double axisTop,
                         double axisHeight, double lanesTop, double laneHeight, double labelWidth, int lanes) {
        public double plotWidth() {
            return Math.max(1, width - labelWidth);
        }

        /** The lane under y, or -1. */
        public int laneAt(double y) {
            if (y < lanesTop) {
                return -1;
            }
            int l = (int) ((y - lanesTop) / laneHeight);
            return l < lanes ? l : -1;
        }

        public boolean inMinimap(double y) {
            return y >= minimapTop && y < minimapTop + minimapHeight;
        }
    }

    public static Layout layout(double width, double height, int lanes, double fontScale) {
        double mmH = Math.round(16 * fontScale);
        double axisH = Math.round(18 * fontScale);
        double lanesTop = mmH + 4 + axisH;
        double laneH = Math.max(14, Math.min(72 * fontScale, (height - lanesTop - 2) / Math.max(1, lanes)));
        double labelW = Math.round(64 * fontScale);
        return new Layout(width, height, 0, mmH, mmH + 4, axisH, lanesTop, laneH, labelW, lanes);
    }

    /** Lanes (at most this many) keep room for their labels, and at least {@link #MIN_LANE_LINES} lines of type. */
    static final int MIN_LANES_SHOWN = 4;
    static final double MIN_LANE_LINES = 1.6;

    /**
     * The least height the canvas needs so its lanes stay readable ("vCPU 0" whole, marks visible, and with
     * {@code kernel} sub-lanes their "kernel" label under it): the minimap, the axis and up to
     * {@link #MIN_LANES_SHOWN} lanes of {@link LaneLabels#laneHeight} each. The pane holding the canvas asks for
     * it, so a squeezed window shrinks the other panes first.
     */
    public static double minHeight(int lanes, double fontScale, boolean kernel) {
        double lane = Math.max(Math.ceil(11 * fontScale * MIN_LANE_LINES), LaneLabels.laneHeight(fontScale, kernel));
        return layout(0, 0, lanes, fontScale).lanesTop() + Math.min(lanes, MIN_LANES_SHOWN) * lane + 2;
    }

    /** Every reason bit seen in the whole run (as far as the minimap knows), for the legend. */
    public long runMask() {
        long m = 0;
        for (int i = 0; i < Math.max(0, minimapWidth) && i < minimap.length; i++) {
            m |= minimap[i];
        }
        return m;
    }

    public int lastMarks() {
        return lastMarks;
    }

    /** Kernel marks (sparse) or columns (dense) drawn last frame. */
    public int lastKernelMarks() {
        return kernelLanes.lastMarks();
    }

    /** Whether canvas y lies in a vCPU's kernel sub-lane. */
    public static boolean inKernelLane(Layout lay, double y) {
        return KernelLaneRenderer.inBand(lay, y);
    }

    /** False when part of the last frame was drawn from samples (the summary was still being built). */
    public boolean lastExact() {
        return lastExact;
    }

    public Layout render(GraphicsContext g, double width, double height, TimelineViewModel vm, TimelineStyle st) {
        int lanes = vm.lanes();
        Layout lay = layout(width, height, lanes, st.fontScale());
        vm.setPlotWidth(lay.plotWidth());
        g.setFill(st.background());
        g.fillRect(0, 0, width, height);
        ExitSource src = vm.source();
        Font font = Font.font("System", 11 * st.fontScale());
        g.setFont(font);
        for (int l = 0; l < lanes; l++) {
            double y = lay.lanesTop() + l * lay.laneHeight();
            g.setFill(l % 2 == 0 ? st.laneEven() : st.laneOdd());
            g.fillRect(0, y, width, lay.laneHeight());
        }
        labels.draw(g, lay, st, vm.kernel() == null ? 0 : Math.min(lanes, vm.kernel().vcpus()));
        g.setFont(font);
        g.setTextBaseline(VPos.CENTER);
        lastMarks = 0;
        lastExact = true;
        if (src == null || src.columns().size() == 0) {
            g.setFill(st.text());
            g.setTextAlign(TextAlignment.CENTER);
            g.fillText(src == null ? "no run open" : "no exits yet", width / 2, lay.lanesTop() + lay.laneHeight() / 2);
            return lay;
        }
        ExitColumns c = src.columns();
        drawAxis(g, lay, vm, st);
        drawLanes(g, lay, vm, c);
        PauseMarks.draw(g, lay, vm, src.pauses(), st);
        if (vm.kernel() != null) {
            kernelLanes.render(g, lay, vm, vm.kernel());
        }
        drawHits(g, lay, vm, c, st);
        drawSelection(g, lay, vm, c, st);
        drawMinimap(g, lay, vm, c, st);
        return lay;
    }

    private void drawLanes(GraphicsContext g, Layout lay, TimelineViewModel vm, ExitColumns c) {
        int w = (int) Math.ceil(lay.plotWidth());
        double x0 = lay.labelWidth();
        double t0 = vm.viewStart();
        double nsPerPx = vm.nsPerPixel();
        long n = c.size();
        long s0 = c.firstAtOrAfter((long) Math.ceil(Math.max(0, t0)));
        long s1 = c.firstAtOrAfter((long) Math.floor(vm.viewEnd()) + 1);
        int lanes = lay.lanes();
        double pad = Math.max(1, lay.laneHeight() * 0.12);
        // with kernel events, the exits keep the top of the lane and the kernel sub-lane takes the bottom
        double markH = (lay.laneHeight() - 2 * pad) * (vm.kernel() != null ? KernelLaneRenderer.EXIT_SHARE : 1);
        if (s1 - s0 <= w / INDIVIDUAL_SPACING_PX) {
            // sparse: every exit its own mark, at its exact time
            double mw = Math.max(2, Math.min(8, 0.6 * w / Math.max(1, s1 - s0)));
            // two passes: port I/O (usually the bulk) first, then every other reason on top so rare exits
            // are never hidden under their busy neighbours
            for (int pass = 0; pass < 2; pass++) {
                for (long s = s0; s < s1 && s < n; s++) {
                    int code = c.reasonCode(s);
                    if ((code == IO_CODE) != (pass == 0)) {
                        continue;
                    }
                    double x = x0 + (c.timeNs(s) - t0) / nsPerPx;
                    int v = Math.min(c.vcpu(s), lanes - 1);
                    g.setFill(ReasonPalette.color(code));
                    g.fillRect(x - mw / 2, lay.lanesTop() + v * lay.laneHeight() + pad, mw, markH);
                    lastMarks++;
                }
            }
            return;
        }
        // dense: one summary per pixel column per lane
        if (bounds.length < w + 1) {
            bounds = new long[w + 1];
        }
        if (masks.length != lanes || masks[0].length < w) {
            masks = new long[lanes][w];
        }
        for (long[] m : masks) {
            Arrays.fill(m, 0, w, 0);
        }
        long lo = s0;
        for (int x = 0; x <= w; x++) {
            long t = (long) Math.ceil(t0 + x * nsPerPx);
            lo = firstAtOrAfter(c, Math.max(0, t), lo, s1);
            bounds[x] = lo;
        }
        snapToBlocks(bounds, w);
        ReasonSummary sum = vm.summary();
        long[] col = new long[lanes];
        for (int x = 0; x < w; x++) {
            if (bounds[x] >= bounds[x + 1]) {
                continue;
            }
            Arrays.fill(col, 0);
            lastExact &= sum.collect(bounds[x], bounds[x + 1], col);
            for (int v = 0; v < lanes; v++) {
                masks[v][x] = col[v];
            }
        }
        drawDenseLanes(g, lay, w, pad, markH);
    }

    /**
     * Paints the per-column masks of every lane straight into a pixel buffer and draws it as one image: the
     * cost is the plot's pixels, whatever the data (thousands of thin rectangles would cost more to rasterise).
     */
    private void drawDenseLanes(GraphicsContext g, Layout lay, int w, double pad, double markH) {
        int lanes = lay.lanes();
        int h = (int) Math.ceil(lay.laneHeight() * lanes);
        if (h <= 0 || w <= 0) {
            return;
        }
        int[] pixels = band.begin(w, h);
        if (colColors.length < w * (MAX_SEGMENTS + 1)) {
            colColors = new int[w * (MAX_SEGMENTS + 1)];
            colSegs = new int[w];
        }
        int[] segColor = new int[MAX_SEGMENTS + 1];
        for (int v = 0; v < lanes; v++) {
            long[] m = masks[v];
            int top = (int) Math.round(v * lay.laneHeight() + pad);
            int bottom = Math.min(h, (int) Math.round(v * lay.laneHeight() + pad + markH));
            int span = Math.max(1, bottom - top);
            // per column: how many segments, which colours (runs of equal masks share the work)
            long lastMask = 0;
            int segs = 0;
            for (int x = 0; x < w; x++) {
                long mask = m[x];
                if (mask == 0) {
                    colSegs[x] = 0;
                    continue;
                }
                if (mask != lastMask) {
                    lastMask = mask;
                    segs = segments(mask, segColor);
                    lastMarks++;
                }
                colSegs[x] = segs;
                System.arraycopy(segColor, 0, colColors, x * (MAX_SEGMENTS + 1), segs);
            }
            // then row by row, so the buffer is written in order
            for (int y = top; y < bottom; y++) {
                int row = y * w;
                int rel = y - top;
                for (int x = 0; x < w; x++) {
                    int n = colSegs[x];
                    if (n != 0) {
                        pixels[row + x] = colColors[x * (MAX_SEGMENTS + 1) + rel * n / span];
                    }
                }
            }
        }
        band.draw(g, lay.labelWidth(), lay.lanesTop());
    }

    /** The colours of a column's segments, top to bottom (as {@link #drawMask} stacks them); returns how many. */
    private static int segments(long mask, int[] out) {
        int count = Long.bitCount(mask);
        int shown = Math.min(count, MAX_SEGMENTS);
        long m = mask;
        for (int i = 0; i < shown; i++) {
            int bit = Long.numberOfTrailingZeros(m);
            m &= m - 1;
            out[i] = ARGB[bit];
        }
        if (count > MAX_SEGMENTS) {
            out[shown++] = GREY_ARGB;
        }
        return shown;
    }

    private static int argb(Color c) {
        return 0xFF000000 | ((int) Math.round(c.getRed() * 255) << 16) | ((int) Math.round(c.getGreen() * 255) << 8)
                | (int) Math.round(c.getBlue() * 255);
    }

    /**
     * Where a boundary between two pixel columns falls inside a run of many exits, moves it to a multiple of a
     * summary block no larger than a quarter of either neighbouring column, so the summary answers each
     * column with a handful of whole blocks instead of reading exits at its edges. An exit moves to the
     * neighbouring column only if it lies within 1/8 of a column of the edge; boundaries stay in order (each
     * moves by at most 1/8 of either neighbour).
     */
    static void snapToBlocks(long[] b, int w) {
        long prevRange = 0;
        for (int x = 0; x <= w; x++) {
            long cur = b[x];
            long nextRange = x < w ? b[x + 1] - cur : 0;
            long range = x == 0 ? nextRange : x == w ? prevRange : Math.min(prevRange, nextRange);
            long g = Long.highestOneBit(Math.max(1, range / 4));
            if (g >= ReasonSummary.BASE && x > 0 && x < w) {
                b[x] = (cur + g / 2) / g * g;
            }
            prevRange = nextRange;
        }
    }

    /** Binary search for the first seq at or after {@code t}, within [lo, hi]. */
    private static long firstAtOrAfter(ExitColumns c, long t, long lo, long hi) {
        long n = Math.min(hi, c.size());
        while (lo < n) {
            long mid = (lo + n) >>> 1;
            if (c.timeNs(mid) < t) {
                lo = mid + 1;
            } else {
                n = mid;
            }
        }
        return lo;
    }

    /** One column run: the reasons present stacked top to bottom, the rest (if any) grey at the bottom. */
    private static void drawMask(GraphicsContext g, long mask, double x, double y, double w, double h) {
        int count = Long.bitCount(mask);
        int shown = Math.min(count, MAX_SEGMENTS);
        boolean more = count > MAX_SEGMENTS;
        int segs = shown + (more ? 1 : 0);
        double segH = h / segs;
        long m = mask;
        for (int i = 0; i < shown; i++) {
            int bit = Long.numberOfTrailingZeros(m);
            m &= m - 1;
            g.setFill(ReasonPalette.colorOfBit(bit));
            g.fillRect(x, y + i * segH, w, segH);
        }
        if (more) {
            g.setFill(MORE);
            g.fillRect(x, y + shown * segH, w, segH);
        }
    }

    private void drawAxis(GraphicsContext g, Layout lay, TimelineViewModel vm, TimelineStyle st) {
        double span = vm.span();
        double nsPerPx = vm.nsPerPixel();
        double step = niceStep(nsPerPx * 110 * st.fontScale());
        double first = Math.ceil(vm.viewStart() / step) * step;
        g.setStroke(st.grid());
        g.setLineWidth(1);
        g.setFill(st.text());
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        double yText = lay.axisTop() + lay.axisHeight() / 2;
        for (double t = first; t <= vm.viewEnd(); t += step) {
            double x = lay.labelWidth() + (t - vm.viewStart()) / nsPerPx;
            g.strokeLine(Math.floor(x) + 0.5, lay.axisTop() + lay.axisHeight() - 4, Math.floor(x) + 0.5,
                    lay.height());
            g.fillText(TimeText.tick(t, step), x + 3, yText);
        }
        if (span <= 0) {
            return;
        }
    }

    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-9))));
        for (double m : new double[]{1, 2, 5, 10}) {
            if (m * p >= raw) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private void drawHits(GraphicsContext g, Layout lay, TimelineViewModel vm, ExitColumns c, TimelineStyle st) {
        List<BreakpointHit> hits = vm.hits();
        if (hits.isEmpty()) {
            return;
        }
        double r = 5 * st.fontScale();
        g.setFill(st.breakpoint());
        int drawn = 0;
        for (BreakpointHit h : hits) {   // hits are few (the run stops at each); cap anyway
            if (h.seq() < 0 || h.seq() >= c.size() || drawn > 2000) {
                continue;
            }
            double x = lay.labelWidth() + vm.xOf(c.timeNs(h.seq()));
            if (x < lay.labelWidth() - r || x > lay.width() + r) {
                continue;
            }
            int v = Math.min(c.vcpu(h.seq()), lay.lanes() - 1);
            double y = lay.lanesTop() + v * lay.laneHeight() + r + 1;
            g.fillPolygon(new double[]{x, x + r, x, x - r}, new double[]{y - r, y, y + r, y}, 4);
            drawn++;
        }
    }

    private void drawSelection(GraphicsContext g, Layout lay, TimelineViewModel vm, ExitColumns c, TimelineStyle st) {
        long seq = vm.selection().seq();
        if (seq == ExitSelection.NONE || seq >= c.size()) {
            return;
        }
        double x = lay.labelWidth() + vm.xOf(c.timeNs(seq));
        if (x < lay.labelWidth() - 2 || x > lay.width() + 2) {
            return;
        }
        int v = Math.min(c.vcpu(seq), lay.lanes() - 1);
        g.setStroke(st.selection());
        g.setLineWidth(1);
        g.setLineDashes(4, 3);
        g.strokeLine(Math.floor(x) + 0.5, lay.axisTop(), Math.floor(x) + 0.5, lay.lanesTop() + lay.lanes() * lay.laneHeight());
        g.setLineDashes();
        g.setLineWidth(2);
        double y = lay.lanesTop() + v * lay.laneHeight();
        g.strokeRect(x - 5, y + 1, 10, lay.laneHeight() - 2);
        g.setFill(ReasonPalette.color(c.reasonCode(seq)));
        g.fillRect(x - 3, y + 3, 6, lay.laneHeight() - 6);
    }

    private void drawMinimap(GraphicsContext g, Layout lay, TimelineViewModel vm, ExitColumns c, TimelineStyle st) {
        int w = (int) Math.ceil(lay.plotWidth());
        double x0 = lay.labelWidth();
        long n = c.size();
        double begin = vm.runStart();
        double end = vm.runEnd() + 1;
        double runSpan = Math.max(1, end - begin);
        ReasonSummary sum = vm.summary();
        if (minimapSize != n || minimapWidth != w || minimapSummary != sum || minimapBuilt != sum.built()) {
            // the whole run: recomputed only when it grows or the width changes
            if (minimap.length < w) {
                minimap = new long[w];
            }
            Arrays.fill(minimap, 0, w, 0);
            long[] col = new long[sum.lanes()];
            long lo = 0;
            double nsPerPx = runSpan / w;
            for (int x = 0; x < w; x++) {
                long hiT = (long) Math.ceil(begin + (x + 1) * nsPerPx);
                long hi = x == w - 1 ? n : firstAtOrAfter(c, hiT, lo, n);
                if (hi > lo) {
                    Arrays.fill(col, 0);
                    sum.collect(lo, hi, col);
                    long m = 0;
                    for (long v : col) {
                        m |= v;
                    }
                    minimap[x] = m;
                }
                lo = hi;
            }
            minimapSize = n;
            minimapWidth = w;
            minimapSummary = sum;
            minimapBuilt = sum.built();
        }
        double y = lay.minimapTop() + 1;
        double h = lay.minimapHeight() - 2;
        g.setFill(st.laneOdd());
        g.fillRect(x0, lay.minimapTop(), w, lay.minimapHeight());
        int x = 0;
        while (x < w) {
            long mask = minimap[x];
            int e = x + 1;
            while (e < w && minimap[e] == mask) {
                e++;
            }
            if (mask != 0) {
                drawMask(g, mask, x0 + x, y, e - x, h);
            }
            x = e;
        }
        double bx0 = x0 + Math.max(0, (vm.viewStart() - begin) / runSpan) * w;
        double bx1 = x0 + Math.min(1, (vm.viewEnd() - begin) / runSpan) * w;
        g.setStroke(st.viewportBox());
        g.setLineWidth(2);
        g.strokeRect(bx0, lay.minimapTop() + 1, Math.max(3, bx1 - bx0), lay.minimapHeight() - 2);
        g.setFill(st.text());
        g.setFont(LaneLabels.small(st));
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        g.fillText("whole run", 6, lay.minimapTop() + lay.minimapHeight() / 2);
    }
}
