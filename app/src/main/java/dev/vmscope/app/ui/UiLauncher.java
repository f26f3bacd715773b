package dev.vmscope.app.ui;

import javafx.application.Application;

/**
 * Opens the window from a plain main class (no {@code Application} subclass on the jar's entry point, which
 * is what lets JavaFX run from the shaded classpath jar). Blocks until the window is closed.
 */
public final class UiLauncher {
    private UiLauncher() {
    }

    /** Shows the window for {@code request} and returns when it closes; returns the process exit code (0). */
    public static int launch(LaunchRequest request) {
        VmscopeApp.setRequest(request == null ? LaunchRequest.empty() : request);
        Application.launch(VmscopeApp.class);
        return 0;
    }
}
