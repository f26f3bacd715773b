package dev.vmscope.app.ui.main;

import dev.vmscope.app.ui.session.UiSession;
import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.WindowTest;
import dev.vmscope.engine.exit.KvmExitReason;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The window's pause on the guest that never exits (samples/spin): F5 runs it, the status bar says running,
 * Shift+F5 stops it inside `jmp $` and the status bar says where; F5 resumes it and Shift+F5 stops it again.
 */
class PauseSpinningGuestTest extends WindowTest {

    @Test
    void shiftF5PausesAGuestSpinningWithoutExitsAndF5ResumesIt() throws Exception {
        openSampleLive("spin");

        robot.clickOn("#timeline-canvas");
        robot.type(KeyCode.F5);
        FxTests.waitUntil("the banner, then spinning", 10, () -> {
            w.window.updater().frame();
            return w.vm.session().state() == UiSession.State.RUNNING && w.window.console().text().contains("spinning");
        });
        long banner = FxTests.onFx(() -> w.vm.session().source().size());
        assertThat(banner).as("one exit per character of 'spinning\\n'").isEqualTo(9);
        FxTests.waitUntil("the status bar", 5, () -> {
            w.window.updater().frame();
            // the newest exit may be selected by then (the list follows a running guest): its time is then shown
            return w.vm.statusProperty().get().matches(
                    "running · [0-9,]+ exits/s · 9 exits( · selected #8 at [^·]+)? · live on /dev/kvm( · .*kernel events.*)?");
        });

        for (int round = 0; round < 2; round++) {
            robot.press(KeyCode.SHIFT, KeyCode.F5).release(KeyCode.F5, KeyCode.SHIFT);
            FxTests.waitUntil("Shift+F5 to pause the spinning vCPU", 10,
                    () -> w.vm.session().state() == UiSession.State.PAUSED);
            long size = FxTests.onFx(() -> w.vm.session().source().size());
            var last = FxTests.onFx(() -> w.vm.session().source().get(size - 1));
            // the pause is an exit of its own (KVM_RUN interrupted), inside `jmp $` (EB FE at RIP)
            assertThat(last.reason()).isEqualTo(KvmExitReason.INTR);
            assertThat(size).isGreaterThan(banner);
            FxTests.waitUntil("the status bar", 5, () -> {
                w.window.updater().frame();
                return w.vm.statusProperty().get().startsWith("paused at exit #" + (size - 1) + " · vCPU 0");
            });
            robot.type(KeyCode.F5);
            FxTests.waitUntil("F5 to resume", 10, () -> w.vm.session().state() == UiSession.State.RUNNING);
            banner = size;
        }
        assertThat(FxTests.onFx(() -> w.window.console().text())).isEqualTo("spinning\n");
    }
}
