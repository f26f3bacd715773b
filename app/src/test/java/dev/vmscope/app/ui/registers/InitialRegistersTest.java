package dev.vmscope.app.ui.registers;

import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.WindowTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A live guest paused before its first instruction shows its registers as it will start, not an empty pane. */
class InitialRegistersTest extends WindowTest {
    @Test
    void beforeTheFirstInstructionTheRegistersShowTheStartState() throws Exception {
        openSampleLive("hello");      // real mode, loaded and entered at 0x1000
        RegistersViewModel r = w.vm.registers();
        FxTests.waitUntil("the start state", 10, () -> r.row("RIP") != null);
        assertThat(FxTests.onFx(() -> r.titleProperty().get())).contains("before the first instruction")
                .contains("16-bit code");
        assertThat(FxTests.onFx(() -> r.row("RIP").value())).isEqualTo(0x1000L);
        assertThat(FxTests.onFx(() -> w.window.registers().table().getItems().size())).isGreaterThan(20);
    }
}
