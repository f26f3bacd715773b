package dev.vmscope.app.ui.main;

import dev.vmscope.app.ui.session.UiSession;
import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.WindowTest;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Ctrl+Shift+F5 runs the guest again from its first instruction: a fresh session, no exits, an empty console. */
class RestartGuestTest extends WindowTest {
    @Test
    void restartBringsAFinishedGuestBackToItsFirstInstruction() throws Exception {
        openSampleLive("hello");
        robot.clickOn("#timeline-canvas");
        robot.type(KeyCode.F5);
        FxTests.waitUntil("hello to finish", 20, () -> {
            w.window.updater().frame();
            return w.vm.session().state() == UiSession.State.FINISHED && w.window.console().text().contains("Hello");
        });
        UiSession first = FxTests.onFx(() -> w.vm.session());
        long exits = FxTests.onFx(() -> first.source().size());
        assertThat(exits).isPositive();

        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.F5).release(KeyCode.F5, KeyCode.SHIFT, KeyCode.CONTROL);
        FxTests.waitUntil("a new session paused before its first instruction", 20, () -> {
            w.window.updater().frame();
            UiSession s = w.vm.session();
            return s != null && s != first && s.state() == UiSession.State.PAUSED;
        });
        assertThat(FxTests.onFx(() -> w.vm.session().source().size())).isZero();
        assertThat(FxTests.onFx(() -> w.vm.statusProperty().get())).contains("paused before the first instruction");
        assertThat(FxTests.onFx(() -> w.window.console().text())).isEmpty();

        // and it runs the same way again
        robot.type(KeyCode.F5);
        FxTests.waitUntil("the second run to finish", 20, () -> w.vm.session().state() == UiSession.State.FINISHED);
        assertThat(FxTests.onFx(() -> w.vm.session().source().size())).isEqualTo(exits);
    }
}
