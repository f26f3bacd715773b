package dev.vmscope.app.ui.bench;

import dev.vmscope.app.ui.main.MainViewModel;
import dev.vmscope.app.ui.main.MainWindow;
import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.vmcs.ExitDetails;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.exit.ExitRecord;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The window on a big trace against a small one, in the same run: two real main windows (headless Monocle),
 * one opening a 10M-exit ioloop trace and one a 10k-exit one, measured alike and interleaved.
 *
 * <ul>
 * <li><b>open</b>: from asking the window to open the file to the first frame drawn with the run shown and an
 *     exit selected in every pane (the "usable" window; the rest of the file is still being read then), and to
 *     the end of the read;</li>
 * <li><b>selection</b>: 200 random exits selected as a click would; each time from the selection until every
 *     pane shows that exit (exit list row selected, registers, the explanation and VMCS panes, the disassembly
 *     tab) after a pulse's layout and that pulse's frame has been drawn: the render thread has finished painting
 *     it, not merely been handed it; with a breakdown of the pulse at which each pane's model had the exit;</li>
 * <li><b>reason filter</b> (only IO) and <b>text filter</b> ("hlt", which only the last exit matches, and "0x80",
 *     which every OUT matches): until the first matching row is listed and until the frame showing the complete
 *     list has been drawn.</li>
 * </ul>
 *
 * <p>Run from the repo root: {@code bench/run.sh ui [BIG (10000000)] [SMALL (10000)] [SELECTIONS (200)]}. Trace
 * files are written once to {@code app/target/bench/} and reused.
 */
public final class UiBenchmark {
    private static final double TIMEOUT_S = 60;
    /** The panes a selection must reach, in the order of {@link #shownMask}'s bits. */
    private static final String[] PANES = {"exit list", "registers", "explanation/VMCS", "disassembly"};
    private static final int ALL_PANES = (1 << PANES.length) - 1;

    /** One window with its trace. */
    private static final class Subject {
        final String name;
        final Path file;
        MainViewModel vm;
        MainWindow w;
        Stage stage;
        double openMs;
        double readMs;
        double[] selectMs;
        /** Per pane, when its model first showed each selection (ms after it). */
        java.util.List<Double>[] paneMs;

        Subject(String name, Path file) {
            this.name = name;
            this.file = file;
        }
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) {
            fail(e);
        }
    }

    private static void run(String[] args) throws Exception {
        long big = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        long small = args.length > 1 ? Long.parseLong(args[1]) : 10_000L;
        int selections = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        System.setProperty("glass.platform", System.getProperty("glass.platform", "Monocle"));
        System.setProperty("monocle.platform", System.getProperty("monocle.platform", "Headless"));
        System.setProperty("prism.order", System.getProperty("prism.order", "sw"));
        System.setProperty("prism.text", System.getProperty("prism.text", "t2k"));
        // the headless screen must hold the whole window, or Monocle overflows its framebuffer
        System.setProperty("headless.geometry", System.getProperty("headless.geometry", "1600x1000-32"));
        Path dir = Path.of("app/target/bench").toAbsolutePath();
        long t0 = System.nanoTime();
        Subject s = new Subject(label(small), IoloopTraces.get(small, dir));
        Subject b = new Subject(label(big), IoloopTraces.get(big, dir));
        System.out.printf(Locale.ROOT, "traces ready in %.1f s: %s, %s%n", (System.nanoTime() - t0) / 1e9, s.file, b.file);

        CompletableFuture<Void> up = new CompletableFuture<>();
        dev.vmscope.app.ui.SoftwareRendering.tune();   // as the application itself does
        Platform.startup(() -> up.complete(null));
        up.get(30, TimeUnit.SECONDS);
        Platform.setImplicitExit(false);

        // a warm-up open of the small trace, so class loading and JIT do not count against the first subject
        Subject warm = new Subject("warm-up", s.file);
        open(warm);
        selectMany(warm, 50, 7);
        FxTests.onFx(() -> {
            warm.stage.close();
            return null;
        });

        for (Subject x : new Subject[]{s, b}) {
            open(x);
        }
        // selections alternate between the windows, so load from other processes hits both alike
        s.selectMs = new double[selections];
        b.selectMs = new double[selections];
        s.paneMs = paneLists();
        b.paneMs = paneLists();
        SplittableRandom rs = new SplittableRandom(11);
        SplittableRandom rb = new SplittableRandom(12);
        for (int i = 0; i < selections; i++) {
            s.selectMs[i] = select(s, rs.nextLong(s.vm.selection() == null ? 1 : size(s)));
            b.selectMs[i] = select(b, rb.nextLong(size(b)));
        }
        System.out.printf(Locale.ROOT, "%n%-44s %12s %12s %8s%n", "", s.name, b.name, "ratio");
        row("open: first usable frame (ms)", s.openMs, b.openMs);
        row("open: whole trace read (ms)", s.readMs, b.readMs);
        Arrays.sort(s.selectMs);
        Arrays.sort(b.selectMs);
        row("selection p50 (ms, " + selections + " random exits)", pct(s.selectMs, 50), pct(b.selectMs, 50));
        row("selection p99 (ms)", pct(s.selectMs, 99), pct(b.selectMs, 99));
        row("selection max (ms)", s.selectMs[selections - 1], b.selectMs[selections - 1]);
        for (int i = 0; i < PANES.length; i++) {
            row("  p50 until a pulse shows the " + PANES[i], median(s.paneMs[i]), median(b.paneMs[i]));
        }
        double[][] reason = {filterReason(s), filterReason(b)};
        row("reason filter IO: first rows (ms)", reason[0][0], reason[1][0]);
        row("reason filter IO: complete (ms)", reason[0][1], reason[1][1]);
        double[][] hlt = {filterText(s, "hlt"), filterText(b, "hlt")};
        row("text filter \"hlt\": first rows (ms)", hlt[0][0], hlt[1][0]);
        row("text filter \"hlt\": complete (ms)", hlt[0][1], hlt[1][1]);
        double[][] out = {filterText(s, "0x80"), filterText(b, "0x80")};
        row("text filter \"0x80\": first rows (ms)", out[0][0], out[1][0]);
        row("text filter \"0x80\": complete (ms)", out[0][1], out[1][1]);
        System.out.printf(Locale.ROOT, "RESULT ui %s: open %.0f ms, selection p50 %.1f p99 %.1f ms (%s p99 %.1f ms, ratio"
                        + " %.2f), reason filter %.0f ms, text filter \"hlt\" %.0f ms, \"0x80\" first rows %.0f ms%n",
                b.name, b.openMs, pct(b.selectMs, 50), pct(b.selectMs, 99), s.name, pct(s.selectMs, 99),
                pct(b.selectMs, 99) / pct(s.selectMs, 99), reason[1][1], hlt[1][1], out[1][0]);
        Platform.exit();
        System.exit(0);
    }

    /** Ends the JVM on any failure (the FX thread would keep it alive). */
    private static void fail(Throwable e) {
        e.printStackTrace();
        System.exit(1);
    }

    private static String label(long n) {
        return n >= 1_000_000 && n % 1_000_000 == 0 ? n / 1_000_000 + "M" : n >= 1000 && n % 1000 == 0 ? n / 1000 + "k"
                : Long.toString(n);
    }

    private static void row(String what, double small, double big) {
        System.out.printf(Locale.ROOT, "%-44s %12.1f %12.1f %8.2f%n", what, small, big, big / small);
    }

    @SuppressWarnings("unchecked")
    private static java.util.List<Double>[] paneLists() {
        java.util.List<Double>[] l = new java.util.List[PANES.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = new java.util.ArrayList<>();
        }
        return l;
    }

    private static double median(java.util.List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length == 0 ? Double.NaN : pct(a, 50);
    }

    private static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p / 100.0) - 1)];
    }

    private static long size(Subject x) throws Exception {
        return FxTests.onFx(() -> x.vm.session().source().size());
    }

    private static void open(Subject x) throws Exception {
        FxTests.onFx(() -> {
            x.vm = new MainViewModel();
            x.stage = new Stage();
            x.w = MainWindow.load(x.vm);
            x.stage.setWidth(1400);
            x.stage.setHeight(900);
            x.w.show(x.stage);
            showDisassemblyTab(x.w);
            return null;
        });
        settle();
        CompletableFuture<Long> usable = new CompletableFuture<>();
        long t0 = System.nanoTime();
        FxTests.onFx(() -> {
            x.w.openTraceFile(x.file);
            whenShownThenPainted(x, () -> x.vm.session() != null && x.vm.selection().seq() == 0 && shown(x, 0), usable);
            return null;
        });
        try {
            x.openMs = (usable.get((long) TIMEOUT_S, TimeUnit.SECONDS) - t0) / 1e6;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out opening " + x.name + ": " + FxTests.onFx(() -> panes(x)));
        }
        long shownExits = size(x);
        waitFor("the whole of " + x.name + " read", () -> x.vm.openProgressProperty().get() < 0);
        x.readMs = (System.nanoTime() - t0) / 1e6;
        System.out.printf(Locale.ROOT, "opened %s: usable in %.0f ms (%,d exits read by then), all %,d read in %.0f ms%n",
                x.file.getFileName(), x.openMs, shownExits, size(x), x.readMs);
    }

    private static void showDisassemblyTab(MainWindow w) {
        for (Node n : w.root().lookupAll(".tab-pane")) {
            if (n instanceof TabPane tp) {
                for (Tab t : tp.getTabs()) {
                    if ("Disassembly".equals(t.getText())) {
                        tp.getSelectionModel().select(t);
                    }
                }
            }
        }
    }

    private static void selectMany(Subject x, int n, long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            select(x, r.nextLong(size(x)));
        }
    }

    /**
     * Selects {@code seq} as a click in the list or timeline does; ms until every pane shows it on screen (the frame
     * drawn). Also notes when each pane's model first showed it, for the breakdown.
     */
    private static double select(Subject x, long seq) throws Exception {
        settle();
        long[] at = new long[PANES.length];
        CompletableFuture<Long> painted = new CompletableFuture<>();
        long t0 = System.nanoTime();
        FxTests.onFx(() -> {
            x.vm.selection().select(seq);
            whenShownThenPainted(x, () -> {
                int m = shownMask(x, seq);
                long now = System.nanoTime();
                for (int i = 0; i < at.length; i++) {
                    if ((m & (1 << i)) != 0 && at[i] == 0) {
                        at[i] = now;
                    }
                }
                return m == ALL_PANES;
            }, painted);
            return null;
        });
        long t1;
        try {
            t1 = painted.get((long) TIMEOUT_S, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out waiting for the selection of #" + seq + " in " + x.name + ": "
                    + FxTests.onFx(() -> panes(x)));
        }
        if (x.paneMs != null) {
            for (int i = 0; i < at.length; i++) {
                x.paneMs[i].add((at[i] - t0) / 1e6);
            }
        }
        return (t1 - t0) / 1e6;
    }

    /**
     * Checks {@code shown} after the layout of each of {@code x}'s pulses (what the window shows then is what that
     * pulse paints); once true, completes {@code painted} with the time that pulse's paint was done: the render
     * thread runs its jobs in order and the pulse has queued its paint before the next runnable runs. No polling,
     * so the measurement takes nothing from the FX thread between pulses.
     */
    private static void whenShownThenPainted(Subject x, BooleanSupplier shown, CompletableFuture<Long> painted) {
        javafx.scene.Scene scene = x.stage.getScene();
        Runnable[] check = new Runnable[1];
        check[0] = () -> {
            if (shown.getAsBoolean()) {
                scene.removePostLayoutPulseListener(check[0]);
                Platform.runLater(() -> com.sun.javafx.tk.Toolkit.getToolkit().addRenderJob(
                        new com.sun.javafx.tk.RenderJob(() -> painted.complete(System.nanoTime()))));
            } else {
                Platform.requestNextPulse();
            }
        };
        scene.addPostLayoutPulseListener(check[0]);
        Platform.requestNextPulse();
    }

    /** What each pane shows, for a benchmark that timed out. */
    private static String panes(Subject x) {
        ExitRecord r = x.vm.registers().current();
        ExitDetails d = x.w.exitDetails().model().details();
        return "selection " + x.vm.selection().seq() + ", registers " + (r == null ? null : r.seq()) + ", details "
                + (d == null ? null : d.seq() + (d.pending() ? " pending" : "")) + ", list row "
                + x.w.exitTable().table().getSelectionModel().getSelectedIndex() + ", disassembly '"
                + x.w.debugPanes().disassembly().titleProperty().get() + "'";
    }

    /** True when every pane shows exit {@code seq} (FX thread). */
    private static boolean shown(Subject x, long seq) {
        return shownMask(x, seq) == ALL_PANES;
    }

    /** Which panes show exit {@code seq} (FX thread): bits {@link #PANES} in order. */
    private static int shownMask(Subject x, long seq) {
        ExitRecord r = x.vm.registers().current();
        ExitDetails d = x.w.exitDetails().model().details();
        int row = x.vm.exits().indexOf(seq);
        var table = x.w.exitTable().table();
        String disasm = x.w.debugPanes().disassembly().titleProperty().get();
        int m = 0;
        if (row >= 0 && table.getSelectionModel().getSelectedIndex() == row - x.vm.exits().pageStart()) {
            m |= 1;
        }
        if (r != null && r.seq() == seq) {
            m |= 2;
        }
        if (d != null && d.seq() == seq && !d.pending()) {
            m |= 4;
        }
        if (disasm != null && disasm.contains("exit #" + seq + " ")) {
            m |= 8;
        }
        return m;
    }

    /** Reason filter "IO only": ms to the first listed row and to the complete list. */
    private static double[] filterReason(Subject x) throws Exception {
        settle();
        long t0 = System.nanoTime();
        FxTests.onFx(() -> {
            x.w.exitTable().reasonFilter().getCheckModel().check(Integer.valueOf(KvmExitReason.IO.code));
            return null;
        });
        double[] r = untilFiltered(x, t0);
        clearFilters(x);
        return r;
    }

    private static double[] filterText(Subject x, String text) throws Exception {
        settle();
        long t0 = System.nanoTime();
        FxTests.onFx(() -> {
            x.w.exitTable().textFilter().setText(text);
            return null;
        });
        double[] r = untilFiltered(x, t0);
        clearFilters(x);
        return r;
    }

    /** ms to the first listed row and to the frame that shows the complete list painted (as for a selection). */
    private static double[] untilFiltered(Subject x, long t0) throws Exception {
        waitFor("first filtered rows in " + x.name, () -> x.vm.exits().rowCount() > 0 || !x.vm.exits().busyProperty().get());
        double first = (System.nanoTime() - t0) / 1e6;
        CompletableFuture<Long> painted = new CompletableFuture<>();
        FxTests.onFx(() -> {
            whenShownThenPainted(x, () -> !x.vm.exits().busyProperty().get(), painted);
            return null;
        });
        return new double[]{first, (painted.get((long) TIMEOUT_S, TimeUnit.SECONDS) - t0) / 1e6};
    }

    private static void clearFilters(Subject x) throws Exception {
        FxTests.onFx(() -> {
            x.w.exitTable().reasonFilter().getCheckModel().clearChecks();
            x.w.exitTable().textFilter().setText("");
            return null;
        });
        waitFor("filters cleared", () -> !x.vm.exits().busyProperty().get() && !x.vm.exits().isFiltered());
    }

    /** Lets the window finish what it has queued (a few frames, the last one drawn). */
    private static void settle() throws Exception {
        for (int i = 0; i < 2; i++) {
            nextFrame();
        }
        frameDrawn();
    }

    /**
     * Waits until the FX thread has run one more pulse (CSS, layout, the scene graph handed to the renderer): what
     * the window shows from then on includes everything the FX thread knew before it.
     */
    private static void nextFrame() throws Exception {
        afterPulse(() -> { }).get(60, TimeUnit.SECONDS);
    }

    /**
     * Waits until the next pulse's frame has been drawn: the render thread runs its jobs in order, so a job queued
     * after the pulse handed its paint over runs once that paint (every window's) is done. "On screen" means this,
     * not merely laid out: a selection is not shown until the renderer has drawn it.
     */
    private static void frameDrawn() throws Exception {
        CompletableFuture<Void> drawn = new CompletableFuture<>();
        afterPulse(() -> com.sun.javafx.tk.Toolkit.getToolkit().addRenderJob(
                new com.sun.javafx.tk.RenderJob(() -> drawn.complete(null))));
        drawn.get(60, TimeUnit.SECONDS);
    }

    /** Runs {@code then} on the FX thread right after the next pulse (which it requests). */
    private static CompletableFuture<Void> afterPulse(Runnable then) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Platform.runLater(() -> {
            javafx.scene.Scene sc = javafx.stage.Window.getWindows().isEmpty() ? null
                    : javafx.stage.Window.getWindows().get(0).getScene();
            if (sc == null) {
                then.run();
                done.complete(null);
                return;
            }
            Runnable[] self = new Runnable[1];
            self[0] = () -> {
                sc.removePostLayoutPulseListener(self[0]);
                Platform.runLater(() -> {   // after the rest of the pulse: the paint is queued by then
                    then.run();
                    done.complete(null);
                });
            };
            sc.addPostLayoutPulseListener(self[0]);
            Platform.requestNextPulse();
        });
        return done;
    }

    private static void waitFor(String what, BooleanSupplier cond) throws Exception {
        long end = System.nanoTime() + (long) (TIMEOUT_S * 1e9);
        while (System.nanoTime() < end) {
            if (FxTests.onFx(cond::getAsBoolean)) {
                return;
            }
            Thread.sleep(0, 200_000);
        }
        throw new IllegalStateException("timed out waiting for " + what);
    }
}
