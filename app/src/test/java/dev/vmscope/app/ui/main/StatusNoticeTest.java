package dev.vmscope.app.ui.main;

import dev.vmscope.app.ui.session.UiSession;
import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.Guests;
import dev.vmscope.app.ui.testing.WindowFixture;
import dev.vmscope.app.ui.testing.WindowTest;
import dev.vmscope.engine.machine.GuestSpec;
import javafx.scene.control.Label;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the engine says once about a run reaches the window too, not only the command line: a live run past its
 * memory bound shows, in the status bar, that older exits now move to a temporary file.
 */
class StatusNoticeTest extends WindowTest {

    @Test
    void theStatusBarSaysWhenOlderExitsMoveToTheTemporaryFile() throws Exception {
        Guests.requireKvm();
        w = WindowFixture.open();
        FxTests.onFx(() -> w.vm.openGuest(GuestSpec.resolve(Samples.directory().resolve("ioloop"))
                .liveExits(65_536).build()));
        FxTests.waitUntil("ioloop paused at its start", 20,
                () -> w.vm.session() != null && w.vm.session().state() == UiSession.State.PAUSED);
        assertThat(FxTests.onFx(() -> w.vm.statusProperty().get())).doesNotContain("⚠");

        FxTests.onFx(() -> {
            w.vm.session().resume();
            return null;
        });
        FxTests.waitUntil("the notice in the status bar", 60, () -> {
            w.window.updater().frame();
            return FxTests.onFx(() -> robot.lookup("#status-label").queryAs(Label.class).getText())
                    .contains("⚠ more than 65,536 exits: older ones now move to a temporary file in ");
        });
    }
}
