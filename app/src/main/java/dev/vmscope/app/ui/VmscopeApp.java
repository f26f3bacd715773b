package dev.vmscope.app.ui;

import dev.vmscope.app.ui.main.MainViewModel;
import dev.vmscope.app.ui.main.MainWindow;
import dev.vmscope.app.ui.main.Samples;
import dev.vmscope.engine.kvm.Kvm;
import dev.vmscope.engine.trace.ExitSource;
import javafx.application.Application;
import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;

/**
 * The JavaFX application. Not the jar's main class: {@link UiLauncher} starts it, so the shaded jar works
 * with JavaFX on the classpath.
 */
public final class VmscopeApp extends Application {
    private static volatile LaunchRequest request = LaunchRequest.empty();
    private static volatile MainWindow window;
    private static volatile int exitCode;

    /** The process exit code once the window has closed (a screenshot run sets it). */
    static int exitCode() {
        return exitCode;
    }

    static void setRequest(LaunchRequest r) {
        request = r;
    }

    /** The window once shown (for tests and tools). */
    public static MainWindow window() {
        return window;
    }

    @Override
    public void start(Stage stage) {
        LaunchRequest r = request;
        WindowOptions opts = r.window();
        boolean shot = opts.screenshot() != null;
        MainViewModel vm = new MainViewModel();
        MainWindow w = MainWindow.load(vm);
        w.setTraceOpener(r.traceOpener());
        if (!shot) {   // a screenshot shows what the command line asked for, not the user's saved layout and breakpoints
            w.rememberLayout(java.util.prefs.Preferences.userNodeForPackage(VmscopeApp.class).node("window"));
            w.debugPanes().breakpoints().setFile(new dev.vmscope.app.ui.breakpoints.BreakpointFile(
                    dev.vmscope.app.ui.breakpoints.BreakpointFile.userDirectory()));   // per guest, like the layout
        }
        if (opts.theme() != null) {
            vm.themeProperty().set(opts.theme());
        }
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        stage.setWidth(opts.hasSize() ? opts.width() : Math.min(UiLauncher.DEFAULT_WIDTH, screen.getWidth()));
        stage.setHeight(opts.hasSize() ? opts.height() : Math.min(UiLauncher.DEFAULT_HEIGHT, screen.getHeight()));
        if (shot) {
            stage.setX(0);
            stage.setY(0);
        }
        w.show(stage);
        window = w;
        vm.loadSamples(r.samplesDir() != null ? r.samplesDir() : Samples.directory());
        if (r.gdb() != null) {
            vm.setGdb(new dev.vmscope.app.ui.session.GdbLink(r.gdb().spec(), r.gdb().arch(), System.out::println));
        }
        open(vm, r);
        if (shot || opts.walkthroughStep() > 0) {
            dev.vmscope.app.ui.shot.ScreenshotRun.start(w, opts, c -> exitCode = c);
        }
    }

    /** Opens what was asked for; without KVM a live guest turns into replay mode with the reason shown. */
    public static void open(MainViewModel vm, LaunchRequest r) {
        if (r.trace() != null) {
            vm.openTrace(r.trace());
        } else if (r.replay() != null) {
            vm.statusProperty().set("opening " + r.replayLabel() + "…");
            FxThread.background(() -> {
                try {
                    return r.replay().call();
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }).whenComplete((src, err) -> FxThread.run(() -> {
                if (err != null) {
                    Throwable c = err.getCause() != null ? err.getCause() : err;
                    vm.bannerProperty().set("Could not open " + r.replayLabel() + ": " + c.getMessage());
                } else {
                    vm.openReplay(src, r.replayLabel());
                }
            }));
        } else if (r.guest() != null) {
            FxThread.control(() -> kvmProblem(r.guest().kvmDevice())).thenAccept(problem -> FxThread.run(() -> {
                if (problem == null) {
                    vm.openGuest(r.guest());
                } else {
                    // a sample opens its recorded run instead, as far as the window can: browse, walkthrough, F10
                    java.nio.file.Path recorded = Samples.recordedTraceOf(
                            r.samplesDir() != null ? r.samplesDir() : Samples.directory(), r.guest().name());
                    vm.kvmAvailableProperty().set(false);
                    vm.bannerProperty().set("Replay mode: " + problem + ". Live guests need " + r.guest().kvmDevice()
                            + (recorded != null ? "; this is " + r.guest().name() + "'s recorded run" : "")
                            + "; double-click a sample to browse its recorded trace, or File ▸ Open trace.");
                    vm.statusProperty().set("replay mode: KVM unavailable");
                    if (recorded != null) {
                        vm.openTrace(recorded);
                    }
                }
            }));
        }
    }

    /** Why KVM cannot be used here, or null when it can. Runs on the control thread. */
    static String kvmProblem(String device) {
        try {
            Kvm.open(device).close();
            return null;
        } catch (RuntimeException e) {
            return "KVM is not available (" + e.getMessage() + ")";
        }
    }
}
