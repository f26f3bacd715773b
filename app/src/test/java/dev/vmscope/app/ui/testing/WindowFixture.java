package dev.vmscope.app.ui.testing;

import dev.vmscope.app.ui.main.MainViewModel;
import dev.vmscope.app.ui.main.MainWindow;
import javafx.stage.Stage;
import org.testfx.api.FxToolkit;

import java.util.concurrent.TimeoutException;

/** Opens the real main window on the headless toolkit for a test, and closes it after. */
public final class WindowFixture implements AutoCloseable {
    public final MainViewModel vm;
    public final MainWindow window;
    public final Stage stage;

    private WindowFixture(MainViewModel vm, MainWindow window, Stage stage) {
        this.vm = vm;
        this.window = window;
        this.stage = stage;
    }

    public static WindowFixture open() throws TimeoutException {
        return open(1400, 900);
    }

    /** The window at {@code width}×{@code height} (at most the headless screen, 1920×1080). */
    public static WindowFixture open(int width, int height) throws TimeoutException {
        FxToolkitExtension.primaryStage();
        Stage stage = FxToolkit.registerStage(Stage::new);
        MainViewModel vm = new MainViewModel();
        MainWindow w = FxTests.onFx(() -> {
            MainWindow mw = MainWindow.load(vm);
            stage.setX(0);
            stage.setY(0);
            stage.setWidth(width);
            stage.setHeight(height);
            mw.show(stage);
            return mw;
        });
        return new WindowFixture(vm, w, stage);
    }

    /** Runs one frame of updates now (instead of waiting for the next pulse). */
    public void frame() {
        FxTests.onFx(() -> window.updater().frame());
    }

    @Override
    public void close() {
        FxTests.onFx(() -> {
            stage.close();
            return null;
        });
    }
}
