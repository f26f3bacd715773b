package dev.vmscope.app.ui.tools;

import dev.vmscope.app.ui.FxThread;
import dev.vmscope.app.ui.LaunchRequest;
import dev.vmscope.app.ui.UiLauncher;
import dev.vmscope.app.ui.VmscopeApp;
import dev.vmscope.app.ui.main.MainViewModel;
import dev.vmscope.app.ui.session.UiSession;

import java.util.function.BooleanSupplier;

/**
 * What the screenshot tools share: the real window launched with a driver thread that waits for it, then
 * steers it (off the FX thread, hopping on with {@link FxThread#run}) until it prints SCREENSHOT READY.
 */
final class ScreenshotDriver {
    /** Steers the open window; may sleep. */
    interface Script {
        void drive(MainViewModel vm) throws InterruptedException;
    }

    private ScreenshotDriver() {
    }

    /** Launches the window for {@code r} (blocks until it closes) with {@code script} driving it. */
    static void launch(LaunchRequest r, Script script) {
        Thread driver = new Thread(() -> {
            try {
                while (VmscopeApp.window() == null) {
                    Thread.sleep(100);
                }
                script.drive(VmscopeApp.window().viewModel());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "screenshot-driver");
        driver.setDaemon(true);
        driver.start();
        UiLauncher.launch(r);
    }

    /** Waits for the live guest to start paused, then continues it. */
    static void startGuest(MainViewModel vm) throws InterruptedException {
        waitFor(() -> vm.session() != null && vm.session().state() == UiSession.State.PAUSED);
        FxThread.run(vm::resume);
    }

    /** Waits until the guest has finished and the window has caught up. */
    static void awaitFinished(MainViewModel vm) throws InterruptedException {
        waitFor(() -> vm.statusProperty().get().startsWith("finished"));
        Thread.sleep(500);
    }

    /** Polls {@code c} for up to 30 s. */
    static void waitFor(BooleanSupplier c) throws InterruptedException {
        for (int i = 0; i < 300 && !c.getAsBoolean(); i++) {
            Thread.sleep(100);
        }
    }
}
