package dev.vmscope.app.ui.shot;

import dev.vmscope.app.ui.FxThread;
import dev.vmscope.app.ui.WindowOptions;
import dev.vmscope.app.ui.main.MainViewModel;
import dev.vmscope.app.ui.main.MainWindow;
import dev.vmscope.app.ui.session.UiSession;
import dev.vmscope.app.ui.walkthrough.WalkthroughView;
import dev.vmscope.app.ui.walkthrough.WalkthroughViewModel;
import javafx.application.Platform;
import javafx.scene.image.WritableImage;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code --screenshot} and {@code --walkthrough-step}: once the window has opened its run, plays the walkthrough up
 * to the asked step; for a screenshot, lets the panes catch up, writes the PNG and closes the window. Runs on its own thread and steps onto the FX thread for
 * every look at the window. The outcome is a process exit code: 0 written, 1 the run failed or timed out, 2 the
 * request cannot be met (no walkthrough, too few steps).
 */
public final class ScreenshotRun {
    /** How long the run may take to open, and one walkthrough step to play. */
    static final long OPEN_SECONDS = 120;
    static final long STEP_SECONDS = 120;
    /** Frames the window gets after the last change so that panes reading memory or laying out settle. */
    static final int SETTLE_PULSES = 20;

    private final MainWindow window;
    private final WindowOptions options;

    private ScreenshotRun(MainWindow window, WindowOptions options) {
        this.window = window;
        this.options = options;
    }

    /** Starts the run for {@code w}; {@code done} gets the exit code (any thread) once the window is closed. */
    public static void start(MainWindow w, WindowOptions options, java.util.function.IntConsumer done) {
        ScreenshotRun r = new ScreenshotRun(w, options);
        Thread t = new Thread(() -> {
            int code;
            try {
                code = r.take();
            } catch (Failure f) {
                System.err.println("vmscope: " + f.getMessage());
                code = f.code;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                code = 1;
            }
            done.accept(code);
            if (options.screenshot() == null) {
                return;   // --walkthrough-step alone: the window stays open at that step
            }
            FxThread.run(() -> {
                if (w.root().getScene() != null && w.root().getScene().getWindow() != null) {
                    w.root().getScene().getWindow().hide();   // closes the session like the user closing it
                }
                Platform.exit();
            });
        }, "screenshot");
        t.setDaemon(true);
        t.start();
    }

    private int take() throws InterruptedException {
        MainViewModel vm = window.viewModel();
        waitFor("the run to open", OPEN_SECONDS, () -> {
            UiSession s = vm.session();
            if (!vm.bannerProperty().get().isEmpty() && s == null) {
                throw new Failure(1, vm.bannerProperty().get());
            }
            return s != null && s.state() != UiSession.State.STARTING;
        });
        if (options.walkthroughStep() > 0) {
            playTo(options.walkthroughStep());
        }
        if (options.screenshot() == null) {
            return 0;
        }
        settle();
        WritableImage img = onFx(() -> PngExport.snapshot(window.root().getScene()));
        try {
            PngExport.write(img, options.screenshot());
        } catch (IOException e) {
            throw new Failure(1, "cannot write " + options.screenshot() + ": " + e.getMessage());
        }
        System.out.println("wrote " + options.screenshot() + " (" + (int) img.getWidth() + "x"
                + (int) img.getHeight() + ")");
        return 0;
    }

    private void playTo(int step) throws InterruptedException {
        WalkthroughView view = window.walkthrough();
        WalkthroughViewModel m = view.model();
        waitFor("the walkthrough to load", OPEN_SECONDS, () -> m.walkthrough() != null || view.loadFinished());
        int count = onFx(() -> m.walkthrough() == null ? -1 : m.steps().size());
        if (count < 0) {
            throw new Failure(2, "--walkthrough-step: the open run has no walkthrough");
        }
        if (step > count) {
            throw new Failure(2, "--walkthrough-step " + step + ": the walkthrough has " + count + " steps");
        }
        onFx(() -> {
            view.setShowing(true);
            return null;
        });
        for (int i = 0; i < step; i++) {
            int target = i;
            waitFor("step " + (i + 1) + " to become possible", STEP_SECONDS, () -> m.canNextProperty().get());
            onFx(() -> {
                view.next();
                return null;
            });
            waitFor("step " + (i + 1) + " to play", STEP_SECONDS,
                    () -> m.index() == target && !m.busyProperty().get());
        }
    }

    /** Waits until a live guest stands still, then lets the window draw {@link #SETTLE_PULSES} frames. */
    private void settle() throws InterruptedException {
        MainViewModel vm = window.viewModel();
        waitFor("the guest to stop", STEP_SECONDS, () -> vm.session() == null
                || vm.session().state() != UiSession.State.RUNNING);
        for (int i = 0; i < SETTLE_PULSES; i++) {
            onFx(() -> {
                window.root().getScene().getRoot().applyCss();
                window.root().getScene().getRoot().layout();
                return null;
            });
            Thread.sleep(50);   // a frame: panes reading memory in the background post their results meanwhile
        }
    }

    private void waitFor(String what, long seconds, BooleanSupplier ready) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!onFx(ready::getAsBoolean)) {
            if (System.nanoTime() > end) {
                throw new Failure(1, "--screenshot: timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Runs {@code s} on the FX thread and returns its result. */
    private static <T> T onFx(Supplier<T> s) throws InterruptedException {
        CompletableFuture<T> f = new CompletableFuture<>();
        FxThread.run(() -> {
            try {
                f.complete(s.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Failure fail) {
                throw fail;
            }
            throw new Failure(1, "--screenshot: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new Failure(1, "--screenshot: the window did not answer for 60 s");
        }
    }

    /** Ends the run with a message and an exit code. */
    static final class Failure extends RuntimeException {
        final int code;

        Failure(int code, String message) {
            super(message);
            this.code = code;
        }
    }
}
