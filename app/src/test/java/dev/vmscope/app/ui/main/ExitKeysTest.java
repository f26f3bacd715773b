package dev.vmscope.app.ui.main;

import dev.vmscope.app.ui.session.UiSession;
import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.WindowFixture;
import dev.vmscope.app.ui.testing.WindowTest;
import dev.vmscope.engine.trace.ExitColumns;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In a replay F10 steps to the selected vCPU's next exit and F11 to the next exit, and the arrows move between
 * exits whatever table has the focus; a text field keeps its arrows.
 */
class ExitKeysTest extends WindowTest {
    @Test
    void replayStepsWithF10F11AndArrowsWhereverTheFocusIs() throws Exception {
        w = WindowFixture.open();
        FxTests.onFx(() -> w.vm.openTrace(Samples.directory().resolve("smp/smp.vmtrace")));
        FxTests.waitUntil("the smp trace", 20, () -> w.vm.session() != null
                && w.vm.session().state() == UiSession.State.REPLAY && w.vm.session().source().size() > 10);
        ExitColumns c = FxTests.onFx(() -> w.vm.session().source().columns());
        long start = 0;
        while (c.vcpu(start) != 1 || c.vcpu(start + 1) == 1) {   // a vCPU 1 exit followed by one of vCPU 0
            start++;
        }
        long from = start;
        long sameVcpu = from + 1;
        while (c.vcpu(sameVcpu) != 1) {
            sameVcpu++;
        }
        FxTests.onFx(() -> {
            w.vm.selection().select(from);
            w.window.registers().table().requestFocus();     // a table that has nothing to do with exits
        });
        press(KeyCode.F10, sameVcpu, "F10: vCPU 1's next exit");
        press(KeyCode.F11, sameVcpu + 1, "F11: the next exit");
        FxTests.onFx(() -> w.window.exitTable().table().requestFocus());
        press(KeyCode.LEFT, sameVcpu, "←");
        press(KeyCode.RIGHT, sameVcpu + 1, "→");
        press(KeyCode.RIGHT, sameVcpu + 2, "→");

        FxTests.onFx(() -> w.window.exitTable().textFilter().requestFocus());
        robot.type(KeyCode.LEFT);
        FxTests.onFx(() -> w.window.updater().frame());    // the key has been handled by now
        assertThat(FxTests.onFx(() -> w.vm.selection().seq())).as("the caret moved, not the selection")
                .isEqualTo(sameVcpu + 2);
    }

    private void press(KeyCode k, long want, String what) {
        robot.type(k);
        FxTests.waitUntil(what + " selects #" + want, 5, () -> w.vm.selection().seq() == want);
    }
}
