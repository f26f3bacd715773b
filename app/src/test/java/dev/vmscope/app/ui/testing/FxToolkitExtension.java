package dev.vmscope.app.ui.testing;

import javafx.stage.Stage;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testfx.api.FxToolkit;

import java.util.concurrent.TimeoutException;

/**
 * Starts the JavaFX toolkit once per test JVM (headless Monocle under {@code mvn test}: surefire sets the
 * glass/monocle/prism properties) and keeps its primary stage for the tests to show scenes on.
 */
public final class FxToolkitExtension implements BeforeAllCallback {
    private static Stage primary;

    @Override
    public void beforeAll(ExtensionContext context) throws TimeoutException {
        primaryStage();
    }

    /** The toolkit's primary stage, starting the toolkit on first use. */
    public static synchronized Stage primaryStage() throws TimeoutException {
        if (primary == null) {
            dev.vmscope.app.ui.SoftwareRendering.tune();   // as the application itself does
            primary = FxToolkit.registerPrimaryStage();
        }
        return primary;
    }
}
