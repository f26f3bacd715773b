package dev.vmscope.app.ui;

import dev.vmscope.app.ui.main.Samples;
import dev.vmscope.engine.config.GuestConfigException;
import dev.vmscope.engine.machine.GuestSpec;
import javafx.application.Application;

import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Opens the window from a plain main class (no {@code Application} subclass on the jar's entry point, which
 * is what lets JavaFX run from the shaded classpath jar). Blocks until the window is closed.
 */
public final class UiLauncher {
    /** The sample the window opens when started with no arguments. */
    public static final String DEFAULT_SAMPLE = "hello";

    /** The window's size when the screen is large enough and no size was asked for. */
    public static final int DEFAULT_WIDTH = 1600;
    public static final int DEFAULT_HEIGHT = 1000;

    private static Logger javafxLog;   // held so the level set below sticks

    private UiLauncher() {
    }

    /** Shows the window for {@code request} and returns when it closes; returns the process exit code (0; a screenshot's
     * own code, see {@link dev.vmscope.app.ui.shot.ScreenshotRun}). */
    public static int launch(LaunchRequest request) {
        // JavaFX warns that it runs from the classpath (the shaded jar does so on purpose); keep stderr clean
        javafxLog = Logger.getLogger("javafx");
        javafxLog.setLevel(Level.SEVERE);
        LaunchRequest r = request == null ? LaunchRequest.empty() : request;
        WindowOptions w = r.window();
        if (w.screenshot() != null) {
            int width = w.hasSize() ? w.width() : DEFAULT_WIDTH;
            int height = w.hasSize() ? w.height() : DEFAULT_HEIGHT;
            if (!dev.vmscope.app.ui.shot.Headless.configure(width, height) && System.getenv("DISPLAY") == null) {
                throw new IllegalArgumentException("--screenshot needs a display or JavaFX's Monocle on the class path");
            }
        }
        SoftwareRendering.tune();
        VmscopeApp.setRequest(r);
        Application.launch(VmscopeApp.class);
        return VmscopeApp.exitCode();
    }

    /**
     * What {@code vmscope} with no arguments opens: the default sample, paused before its first instruction
     * (replay mode with the reason shown when KVM is unavailable), or an empty window if the samples are not
     * where {@link Samples#directory()} looks.
     */
    public static LaunchRequest defaultRequest() {
        Path dir = Samples.directory();
        Path sample = dir.resolve(DEFAULT_SAMPLE);
        if (GuestSpec.isSampleDir(sample)) {
            try {
                return LaunchRequest.guest(GuestSpec.resolve(sample).build()).withSamplesDir(dir);
            } catch (GuestConfigException e) {
                // a broken default sample: open the window anyway, the samples list shows the rest
            }
        }
        return LaunchRequest.empty().withSamplesDir(dir);
    }
}
