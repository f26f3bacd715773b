package dev.vmscope.app.ui.testing;

import dev.vmscope.app.ui.main.Samples;
import dev.vmscope.app.ui.session.UiSession;
import dev.vmscope.engine.machine.GuestSpec;
import javafx.scene.control.TabPane;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;

/**
 * Base of the tests that open the real main window: the headless toolkit, a robot, the window a test opened
 * ({@code w = WindowFixture.open()}) closed after it, and a way to bring a bottom tab to the front.
 */
@ExtendWith(FxToolkitExtension.class)
public abstract class WindowTest {
    protected final FxRobot robot = new FxRobot();
    protected WindowFixture w;

    @AfterEach
    void closeWindow() {
        if (w != null) {
            w.close();
            w = null;
        }
    }

    /** Opens the window with sample {@code name} running live on /dev/kvm, paused before its first instruction. */
    protected void openSampleLive(String name) throws Exception {
        Guests.requireKvm();
        w = WindowFixture.open();
        FxTests.onFx(() -> w.vm.openGuest(GuestSpec.resolve(Samples.directory().resolve(name)).build()));
        FxTests.waitUntil(name + " paused at its start", 20,
                () -> w.vm.session() != null && w.vm.session().state() == UiSession.State.PAUSED);
    }

    /** Selects the tab with this id in whichever tab pane holds it. */
    protected void showTab(String id) {
        FxTests.onFx(() -> {
            for (TabPane tabs : robot.lookup(".tab-pane").queryAllAs(TabPane.class)) {
                tabs.getTabs().stream().filter(t -> id.equals(t.getId())).findFirst()
                        .ifPresent(t -> tabs.getSelectionModel().select(t));
            }
        });
    }
}
