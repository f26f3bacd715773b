package dev.vmscope.app.ui.bench;

import dev.vmscope.app.ui.ExitSelection;
import dev.vmscope.app.ui.testing.SyntheticExits;
import dev.vmscope.app.ui.timeline.TimelineRenderer;
import dev.vmscope.app.ui.timeline.TimelineStyle;
import dev.vmscope.app.ui.timeline.TimelineViewModel;
import dev.vmscope.engine.trace.ExitStore;
import javafx.application.Platform;
import javafx.scene.SnapshotParameters;
import javafx.scene.canvas.Canvas;
import javafx.scene.image.WritableImage;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Timeline frame cost, 10M exits against 1k exits, measured in the same run. A frame is what the view does on
 * every redraw: lay out, query the reason summary per pixel column, issue the canvas draw calls; "+raster" adds
 * a canvas snapshot, which forces the software pipeline to rasterise what was drawn. The reason summary is
 * built before timing (in the window it is built off the FX thread while the trace opens). Small and big
 * alternate in rounds and the median round counts, so load from other processes hits both alike.
 *
 * <p>Run (from the repo root): {@code bench/run.sh timeline}. Arguments: [big exits (10000000)] [small exits (1000)]
 * [frames per round (100)] [rounds (9)].
 */
public final class TimelineBenchmark {
    private static final int WIDTH = 1600;
    private static final int HEIGHT = 260;

    /** One source with its model, renderer and canvas. */
    private static final class Subject {
        final String name;
        final ExitStore store;
        final TimelineViewModel vm = new TimelineViewModel(new ExitSelection());
        final TimelineRenderer r = new TimelineRenderer();
        Canvas canvas;
        WritableImage img;

        Subject(String name, ExitStore store) {
            this.name = name;
            this.store = store;
        }
    }

    public static void main(String[] args) throws Exception {
        long big = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        long small = args.length > 1 ? Long.parseLong(args[1]) : 1_000L;
        int frames = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 9;
        System.setProperty("glass.platform", System.getProperty("glass.platform", "Monocle"));
        System.setProperty("monocle.platform", System.getProperty("monocle.platform", "Headless"));
        System.setProperty("prism.order", System.getProperty("prism.order", "sw"));
        CompletableFuture<Void> up = new CompletableFuture<>();
        dev.vmscope.app.ui.SoftwareRendering.tune();   // as the application itself does
        Platform.startup(() -> up.complete(null));
        up.get(30, TimeUnit.SECONDS);

        long t0 = System.nanoTime();
        Subject s = new Subject("1k", SyntheticExits.fill(small, 2, 4_000, 1));
        Subject b = new Subject("10M", SyntheticExits.fill(big, 2, 4_000, 2));
        System.out.printf(Locale.ROOT, "filled %,d + %,d exits in %.1f s%n", small, big, (System.nanoTime() - t0) / 1e9);
        long ts = System.nanoTime();
        for (Subject x : new Subject[]{s, b}) {
            x.vm.selection().setColumns(x.store.columns());
            x.vm.setPlotWidth(WIDTH - 64);
            x.vm.setSourceForTest(x.store);   // builds the reason summary here, before timing
            x.vm.selection().select(x.store.size() / 2);
            onFx(() -> {
                x.canvas = new Canvas(WIDTH, HEIGHT);
                x.img = new WritableImage(WIDTH, HEIGHT);
                x.r.render(x.canvas.getGraphicsContext2D(), WIDTH, HEIGHT, x.vm, TimelineStyle.DEFAULT);
                x.vm.fitAll();
                return null;
            });
        }
        double summaryMs = (System.nanoTime() - ts) / 1e6;

        System.out.printf(Locale.ROOT, "%-28s %10s %10s %8s%n", "median frame (ms)", s.name, b.name, "ratio");
        double whole = row("whole run, draw+raster", s, b, frames, rounds, x -> x.vm.fitAll(), 0, true);
        row("whole run, draw", s, b, frames, rounds, x -> x.vm.fitAll(), 0, false);
        row("zoomed 64x + pan, +raster", s, b, frames, rounds, x -> {
            x.vm.fitAll();
            x.vm.zoom(64, x.vm.plotWidth() / 2);
        }, 3, true);
        row("~200 exits in view, +raster", s, b, frames, rounds, x -> {
            double gap = x.vm.runEnd() / x.store.size();
            x.vm.fitAll();
            x.vm.zoom(x.vm.span() / (gap * 200), x.vm.plotWidth() / 2);
        }, 1, true);
        System.out.printf(Locale.ROOT, "summary pyramid: %,d bytes for %,d exits (both built in %.0f ms)%n",
                b.vm.summary().heapBytes(), big, summaryMs);
        System.gc();
        Thread.sleep(200);
        System.gc();
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "heap: 10M exit store %,d bytes (%.1f B/exit); whole JVM after GC %,d MB%n",
                b.store.heapBytes(), (double) b.store.heapBytes() / big, (rt.totalMemory() - rt.freeMemory()) >> 20);
        System.out.printf(Locale.ROOT, "RESULT timeline frame-cost ratio 10M/1k (whole run, draw+raster): %.2f%n", whole);
        Platform.exit();
    }

    private static double row(String what, Subject s, Subject b, int frames, int rounds, Consumer<Subject> setup,
                              double pan, boolean raster) throws Exception {
        double[] ms = new double[rounds];
        double[] mb = new double[rounds];
        for (Subject x : new Subject[]{s, b}) {
            setup.accept(x);
            onFx(() -> frames(x, frames, pan, raster));   // warm-up
        }
        for (int i = 0; i < rounds; i++) {
            ms[i] = onFx(() -> frames(s, frames, pan, raster));
            mb[i] = onFx(() -> frames(b, frames, pan, raster));
        }
        Arrays.sort(ms);
        Arrays.sort(mb);
        double a = ms[rounds / 2];
        double c = mb[rounds / 2];
        System.out.printf(Locale.ROOT, "%-28s %10.3f %10.3f %8.2f%n", what, a, c, c / a);
        return c / a;
    }

    /** Mean ms per frame over {@code n} frames; panning {@code pan} px each (back and forth). */
    private static double frames(Subject x, int n, double pan, boolean raster) {
        SnapshotParameters p = new SnapshotParameters();
        long total = 0;
        for (int i = 0; i < n; i++) {
            if (pan != 0) {
                x.vm.panPixels((i & 32) == 0 ? pan : -pan);
            }
            long t = System.nanoTime();
            x.r.render(x.canvas.getGraphicsContext2D(), WIDTH, HEIGHT, x.vm, TimelineStyle.DEFAULT);
            if (raster) {
                x.canvas.snapshot(p, x.img);
            }
            total += System.nanoTime() - t;
        }
        return total / (double) n / 1e6;
    }

    private static <T> T onFx(Callable<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(10, TimeUnit.MINUTES);
    }
}
