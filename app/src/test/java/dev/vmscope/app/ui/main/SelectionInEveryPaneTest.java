package dev.vmscope.app.ui.main;

import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.WindowFixture;
import dev.vmscope.app.ui.testing.WindowTest;
import dev.vmscope.app.ui.vmcs.ExitDetails;
import dev.vmscope.engine.exit.ExitRecord;
import org.fxmisc.richtext.StyleClassedTextArea;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One selection reaches every pane of the real window — exit list, registers, explanation/VMCS, disassembly — and
 * the panes that read off the FX thread start at the selection itself, not at a later frame: with the window's
 * per-frame updates stopped, the disassembly of a recorded run (read on the selection lane) still follows, so a
 * selection is drawn in the frame its answers arrive in rather than one or two frames later.
 */
class SelectionInEveryPaneTest extends WindowTest {
    @Test
    void aSelectionReachesEveryPaneWithoutWaitingForAFrame() throws Exception {
        w = WindowFixture.open();
        FxTests.onFx(() -> w.vm.openTrace(Samples.directory().resolve("symbols/symbols.vmtrace")));
        FxTests.waitUntil("the trace", 20, () -> w.vm.session() != null && w.vm.selection().seq() == 0);
        showTab("disassembly-tab");
        long size = FxTests.onFx(() -> w.vm.session().source().size());
        assertThat(size).isGreaterThan(10);
        FxTests.waitUntil("the first exit's listing", 20, () -> shows(0));

        FxTests.onFx(() -> w.window.updater().stop());   // no frame slots run from here on
        for (long seq : new long[]{5, size - 1, size / 2}) {
            FxTests.onFx(() -> w.vm.selection().select(seq));
            FxTests.waitUntil("every pane to show exit #" + seq, 20, () -> shows(seq));
            ExitRecord r = FxTests.onFx(() -> w.vm.session().source().get(seq));
            String text = FxTests.onFx(() -> ((StyleClassedTextArea) w.stage.getScene().lookup("#disassembly-text"))
                    .getText());
            assertThat(text).isEqualTo(FxTests.onFx(
                    () -> w.window.debugPanes().disassembly().listingProperty().get().text()));
            assertThat(FxTests.onFx(() -> w.window.registers().title().getText()))
                    .contains("exit #" + seq).contains("vCPU " + r.vcpu());
        }
        FxTests.onFx(() -> w.window.updater().start());
    }

    /** True when the list, registers, explanation/VMCS and disassembly all show exit {@code seq} (FX thread). */
    private boolean shows(long seq) {
        ExitRecord r = w.vm.registers().current();
        ExitDetails d = w.window.exitDetails().model().details();
        var table = w.window.exitTable().table();
        var row = table.getSelectionModel().getSelectedItem();
        String disasm = w.window.debugPanes().disassembly().titleProperty().get();
        return r != null && r.seq() == seq && d != null && d.seq() == seq && !d.pending()
                && row != null && row.seq() == seq
                && disasm.contains("exit #" + seq + " ")
                && w.window.debugPanes().disassembly().listingProperty().get() != null;
    }
}
