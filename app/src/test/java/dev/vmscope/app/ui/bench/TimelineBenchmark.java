package dev.vmscope.app.ui.bench;

import dev.vmscope.app.ui.ExitSelection;
import dev.vmscope.app.ui.testing.SyntheticExits;
import dev.vmscope.app.ui.timeline.ReasonSummary;
import dev.vmscope.app.ui.timeline.TimelineRenderer;
import dev.vmscope.app.ui.timeline.TimelineStyle;
import dev.vmscope.app.ui.timeline.TimelineViewModel;
import dev.vmscope.engine.trace.ExitStore;
import javafx.application.Platform;
import javafx.scene.SnapshotParameters;
import javafx.scene.canvas.Canvas;
import javafx.scene.image.WritableImage;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Timeline frame cost, 10M exits against 1k exits, measured in the same run. A frame is what the view does on
 * every redraw: lay out, query the reason summary per pixel column, issue the canvas draw calls; "+raster" adds
 * a canvas snapshot, which forces the software pipeline to rasterise what was drawn. The reason summary is
 * built before timing (in the window it is built off the FX thread while the trace opens).
 *
 * <p>Run: {@code mvn -q -o -pl app -am test-compile && java -Xmx6g -cp "$(cat app/target/bench.cp):app/target/classes:app/target/test-classes:engine/target/classes" dev.vmscope.app.ui.bench.TimelineBenchmark}
 * after {@code mvn -q -o -pl app dependency:build-classpath -Dmdep.outputFile=target/bench.cp}.
 * Arguments: [big exits (10000000)] [small exits (1000)] [frames (300)].
 */
public final class TimelineBenchmark {
    private static final int WIDTH = 1600;
    private static final int HEIGHT = 260;

    public static void main(String[] args) throws Exception {
        long big = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        long small = args.length > 1 ? Long.parseLong(args[1]) : 1_000L;
        int frames = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        System.setProperty("glass.platform", System.getProperty("glass.platform", "Monocle"));
        System.setProperty("monocle.platform", System.getProperty("monocle.platform", "Headless"));
        System.setProperty("prism.order", System.getProperty("prism.order", "sw"));
        CompletableFuture<Void> up = new CompletableFuture<>();
        Platform.startup(() -> up.complete(null));
        up.get(30, TimeUnit.SECONDS);

        long t0 = System.nanoTime();
        ExitStore smallStore = SyntheticExits.fill(small, 2, 4_000, 1);
        ExitStore bigStore = SyntheticExits.fill(big, 2, 4_000, 2);
        System.out.printf(Locale.ROOT, "filled %,d + %,d exits in %.1f s%n", small, big, (System.nanoTime() - t0) / 1e9);

        Scenario s = measure("1k", smallStore, frames);
        Scenario b = measure("10M", bigStore, frames);
        System.out.printf(Locale.ROOT, "%-26s %12s %12s %8s%n", "frame (mean ms)", s.name, b.name, "ratio");
        row("whole run, draw", s.wholeDraw, b.wholeDraw);
        row("whole run, draw+raster", s.wholeRaster, b.wholeRaster);
        row("zoomed 64x + pan, draw", s.zoomDraw, b.zoomDraw);
        row("zoomed 64x + pan, +raster", s.zoomRaster, b.zoomRaster);
        row("~200 exits in view, draw", s.deepDraw, b.deepDraw);
        System.out.printf(Locale.ROOT, "summary pyramid: %,d bytes for %,d exits (built in %.0f ms)%n",
                b.summaryBytes, big, b.summaryMs);
        System.out.printf(Locale.ROOT, "RESULT timeline frame-cost ratio 10M/1k (whole run, draw+raster): %.2f%n",
                b.wholeRaster / s.wholeRaster);
        Platform.exit();
    }

    private static void row(String what, double small, double big) {
        System.out.printf(Locale.ROOT, "%-26s %12.3f %12.3f %8.2f%n", what, small, big, big / small);
    }

    private static final class Scenario {
        String name;
        double wholeDraw, wholeRaster, zoomDraw, zoomRaster, deepDraw, summaryMs;
        long summaryBytes;
    }

    private static Scenario measure(String name, ExitStore store, int frames) throws Exception {
        Scenario sc = new Scenario();
        sc.name = name;
        TimelineViewModel vm = new TimelineViewModel(new ExitSelection());
        long t = System.nanoTime();
        CompletableFuture<Void> set = new CompletableFuture<>();
        Platform.runLater(() -> {
            vm.setSource(store);       // starts a background build too; we finish it below before timing
            set.complete(null);
        });
        set.get();
        vm.buildSummaryNow();
        ReasonSummary sum = vm.summary();
        sc.summaryMs = (System.nanoTime() - t) / 1e6;
        sc.summaryBytes = sum.heapBytes();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                Canvas canvas = new Canvas(WIDTH, HEIGHT);
                TimelineRenderer r = new TimelineRenderer();
                WritableImage img = new WritableImage(WIDTH, HEIGHT);
                vm.selection().setColumns(store.columns());
                vm.selection().select(store.size() / 2);
                r.render(canvas.getGraphicsContext2D(), WIDTH, HEIGHT, vm, TimelineStyle.DEFAULT);  // lays out
                vm.fitAll();
                sc.wholeDraw = frames(canvas, r, vm, frames, false, null, 0);
                sc.wholeRaster = frames(canvas, r, vm, frames, true, img, 0);
                vm.fitAll();
                vm.zoom(64, vm.plotWidth() / 2);
                sc.zoomDraw = frames(canvas, r, vm, frames, false, null, 3);
                sc.zoomRaster = frames(canvas, r, vm, frames, true, img, 3);
                // about 200 exits in view
                double gap = vm.runEnd() / store.size();
                vm.fitAll();
                vm.zoom(vm.span() / (gap * 200), vm.plotWidth() / 2);
                sc.deepDraw = frames(canvas, r, vm, frames, false, null, 1);
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        done.get(10, TimeUnit.MINUTES);
        return sc;
    }

    /** Mean ms per frame over {@code n} frames after {@code n/2} warm-up frames; panning {@code pan} px each. */
    private static double frames(Canvas canvas, TimelineRenderer r, TimelineViewModel vm, int n, boolean raster,
                                 WritableImage img, double pan) {
        SnapshotParameters p = new SnapshotParameters();
        double total = 0;
        for (int i = -n / 2; i < n; i++) {
            if (pan != 0) {
                vm.panPixels((i & 64) == 0 ? pan : -pan);
            }
            long t = System.nanoTime();
            r.render(canvas.getGraphicsContext2D(), WIDTH, HEIGHT, vm, TimelineStyle.DEFAULT);
            if (raster) {
                canvas.snapshot(p, img);
            }
            long dt = System.nanoTime() - t;
            if (i >= 0) {
                total += dt;
            }
        }
        return total / n / 1e6;
    }
}
