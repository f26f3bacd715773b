package dev.vmscope.app.ui.timeline;

import dev.vmscope.app.ui.kernel.KernelPalette;
import dev.vmscope.app.ui.kernel.KernelSummary;
import dev.vmscope.engine.kernel.KernelEvents;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;


/**
 * Draws each vCPU's kernel sub-lane: a band along the bottom of its lane with a mark per kernel event in its
 * kind's colour ({@link KernelPalette}). Level of detail as for exits: sparse events get a mark each at their
 * own time; when many share pixel columns, each column asks the {@link KernelSummary} which kinds it holds
 * (a bounded number of steps) and the band is painted as one image. A frame costs what the pixels cost.
 */
final class KernelLaneRenderer {
    /** The part of a lane's mark height the exits keep when a kernel band is shown below them. */
    static final double EXIT_SHARE = 0.6;
    /** Events must be this many px apart on average to be drawn one by one. */
    static final double INDIVIDUAL_SPACING_PX = 3;
    private static final int[] ARGB = new int[KernelPalette.values().length];

    static {
        for (KernelPalette k : KernelPalette.values()) {
            Color c = k.color();
            ARGB[k.ordinal()] = 0xFF000000 | ((int) Math.round(c.getRed() * 255) << 16)
                    | ((int) Math.round(c.getGreen() * 255) << 8) | (int) Math.round(c.getBlue() * 255);
        }
    }

    private final PixelBand band = new PixelBand();
    private long[] bounds = new long[0];
    private int[] masks = new int[0];
    private int lastMarks;

    /** Marks or columns drawn in the last frame (tests). */
    int lastMarks() {
        return lastMarks;
    }

    /** The band's top and height in lane {@code v} (canvas y), given the lane's padding. */
    static double[] band(TimelineRenderer.Layout lay, int v) {
        double pad = Math.max(1, lay.laneHeight() * 0.12);
        double markH = lay.laneHeight() - 2 * pad;
        double top = lay.lanesTop() + v * lay.laneHeight() + pad + markH * EXIT_SHARE + 1;
        double bottom = lay.lanesTop() + (v + 1) * lay.laneHeight() - pad;
        return new double[]{top, Math.max(1, bottom - top)};
    }

    /** Whether canvas y lies in a kernel band (hover and clicks there are about kernel events). */
    static boolean inBand(TimelineRenderer.Layout lay, double y) {
        int v = lay.laneAt(y);
        if (v < 0) {
            return false;
        }
        double[] b = band(lay, v);
        return y >= b[0] - 1 && y <= b[0] + b[1] + 1;
    }

    void render(GraphicsContext g, TimelineRenderer.Layout lay, TimelineViewModel vm, KernelSummary sum) {
        lastMarks = 0;
        int w = (int) Math.ceil(lay.plotWidth());
        int lanes = Math.min(lay.lanes(), sum.vcpus());
        boolean dense = false;
        for (int v = 0; v < lanes && !dense; v++) {
            long[] r = range(sum.events(), v, vm, sum);
            dense = r[1] - r[0] > w / INDIVIDUAL_SPACING_PX;
        }
        if (dense) {
            drawDense(g, lay, vm, sum, w, lanes);
        } else {
            drawSparse(g, lay, vm, sum, w, lanes);
        }
    }

    /** vCPU v's events in view: k from [0] (inclusive) to [1] (exclusive), within what is summarised. */
    private static long[] range(KernelEvents k, int v, TimelineViewModel vm, KernelSummary sum) {
        long built = sum.built(v);
        long lo = Math.min(built, k.firstOfVcpuAfter(v, (long) Math.ceil(vm.viewStart()) - 1));
        long hi = Math.min(built, k.firstOfVcpuAfter(v, (long) Math.floor(vm.viewEnd())));
        return new long[]{lo, Math.max(lo, hi)};
    }

    private void drawSparse(GraphicsContext g, TimelineRenderer.Layout lay, TimelineViewModel vm, KernelSummary sum,
                            int w, int lanes) {
        KernelEvents k = sum.events();
        for (int v = 0; v < lanes; v++) {
            long[] r = range(k, v, vm, sum);
            double mw = Math.max(2, Math.min(6, 0.6 * w / Math.max(1, r[1] - r[0])));
            double[] b = band(lay, v);
            for (long i = r[0]; i < r[1]; i++) {
                double x = lay.labelWidth() + vm.xOf(k.timeNs(k.indexOf(v, i)));
                g.setFill(sum.kind(v, i).color());
                g.fillRect(x - mw / 2, b[0], mw, b[1]);
                lastMarks++;
            }
        }
    }

    /** One kind mask per pixel column per lane, painted into one image (stacked colours, at most three). */
    private void drawDense(GraphicsContext g, TimelineRenderer.Layout lay, TimelineViewModel vm, KernelSummary sum,
                           int w, int lanes) {
        int h = (int) Math.ceil(lay.laneHeight() * lanes);
        if (h <= 0 || w <= 0) {
            return;
        }
        int[] pixels = band.begin(w, h);
        if (bounds.length < w + 1) {
            bounds = new long[w + 1];
            masks = new int[w];
        }
        KernelEvents k = sum.events();
        double t0 = vm.viewStart();
        double nsPerPx = vm.nsPerPixel();
        int[] colours = new int[3];
        for (int v = 0; v < lanes; v++) {
            long built = sum.built(v);
            for (int x = 0; x <= w; x++) {
                // events with time in (t0 + (x-1)·ns/px, t0 + x·ns/px] fall in column x-1
                bounds[x] = Math.min(built, k.firstOfVcpuAfter(v, (long) Math.floor(t0 + x * nsPerPx)));
            }
            for (int x = 0; x < w; x++) {
                masks[x] = bounds[x] < bounds[x + 1] ? sum.kinds(v, bounds[x], bounds[x + 1]) : 0;
            }
            double[] b = band(lay, v);
            int top = (int) Math.round(b[0] - lay.lanesTop());
            int bottom = Math.min(h, (int) Math.round(b[0] + b[1] - lay.lanesTop()));
            int span = Math.max(1, bottom - top);
            int last = -1;
            int n = 0;
            for (int x = 0; x < w; x++) {
                int m = masks[x];
                if (m == 0) {
                    continue;
                }
                if (m != last) {
                    last = m;
                    n = colours(m, colours);
                    lastMarks++;
                }
                for (int y = top; y < bottom; y++) {
                    pixels[y * w + x] = colours[(y - top) * n / span];
                }
            }
        }
        band.draw(g, lay.labelWidth(), lay.lanesTop());
    }

    /** The colours of a column's kinds, top to bottom (at most three; more show the first three). */
    private static int colours(int mask, int[] out) {
        int n = 0;
        for (int m = mask; m != 0 && n < out.length; m &= m - 1) {
            out[n++] = ARGB[Integer.numberOfTrailingZeros(m)];
        }
        return n;
    }
}
