package dev.vmscope.app.ui;

import dev.vmscope.app.ui.testing.FxToolkitExtension;
import dev.vmscope.app.ui.testing.FxTests;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Engine-side events only mark state dirty; the FX thread refreshes once per frame. */
@ExtendWith(FxToolkitExtension.class)
class FrameUpdaterTest {

    @Test
    void manyMarksFromAnotherThreadCostOneRefresh() throws Exception {
        FrameUpdater u = new FrameUpdater();
        AtomicInteger refreshes = new AtomicInteger();
        FrameUpdater.Slot slot = u.slot("count", () -> {
            FxThread.requireFx();
            refreshes.incrementAndGet();
        });
        Thread engine = new Thread(() -> {
            for (int i = 0; i < 100_000; i++) {
                slot.markDirty();
            }
        });
        engine.start();
        engine.join();
        FxTests.onFx(u::frame);
        FxTests.onFx(u::frame);
        assertThat(refreshes.get()).isEqualTo(1);
    }

    @Test
    void theTimerRefreshesOnItsOwnOnTheRealToolkit() {
        FrameUpdater u = new FrameUpdater();
        AtomicInteger refreshes = new AtomicInteger();
        FrameUpdater.Slot slot = u.slot("count", refreshes::incrementAndGet);
        FxTests.onFx(u::start);
        try {
            slot.markDirty();
            FxTests.waitUntil("a frame", 5, () -> refreshes.get() == 1);
        } finally {
            FxTests.onFx(u::stop);
        }
    }

    @Test
    void aRobotClicksAButtonOnTheHeadlessToolkit() throws Exception {
        Label label = new Label("not yet");
        FxToolkit.setupStage(stage -> {
            Button b = new Button("Press");
            b.setId("press");
            b.setOnAction(e -> label.setText("pressed on " + Thread.currentThread().getName()));
            stage.setScene(new Scene(new VBox(b, label), 200, 100));
            stage.show();
        });
        new FxRobot().clickOn("#press");
        FxTests.waitUntil("the click", 5, () -> label.getText().startsWith("pressed"));
        assertThat(label.getText()).contains("JavaFX Application Thread");
    }
}
