package dev.vmscope.app.ui.vmcs;

import dev.vmscope.app.ui.main.Samples;
import dev.vmscope.app.ui.session.UiSession;
import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.Guests;
import dev.vmscope.app.ui.testing.WindowFixture;
import dev.vmscope.app.ui.testing.WindowTest;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.machine.GuestSpec;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableRow;
import javafx.scene.control.TreeTableView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The explanation and VMCS panes in the real window: hello live on /dev/kvm (F10, F11), and its bundled trace
 * through the replay path. Assertions read the text of the cells and labels on screen.
 */
class VmcsPaneTest extends WindowTest {

    private VmcsView vmcs() {
        return w.window.exitDetails().vmcs();
    }

    private ExitDetails shown() {
        return FxTests.onFx(() -> w.window.exitDetails().model().details());
    }

    /** The texts of the cells of {@code field}'s row as drawn (scrolled into view first); empty if not listed. */
    private List<String> rowTexts(String field) {
        FxTests.onFx(() -> {
            TreeTableView<VmcsView.Item> t = vmcs().tree();
            for (int i = 0; i < t.getExpandedItemCount(); i++) {
                TreeItem<VmcsView.Item> ti = t.getTreeItem(i);
                if (ti != null && !ti.getValue().isGroup() && ti.getValue().row().name().equals(field)) {
                    t.scrollTo(Math.max(0, i - 2));
                    t.layout();
                    return;
                }
            }
        });
        List<String> out = new ArrayList<>();
        FxTests.waitUntil(field + "'s row on screen", 5, () -> {
            out.clear();
            Optional<TreeTableRow<VmcsView.Item>> row = fieldRow(field);
            row.ifPresent(r -> {
                for (Node n : r.getChildrenUnmodifiable()) {
                    if (n instanceof TreeTableCell<?, ?> c) {
                        out.add(c.getText() == null ? "" : c.getText());
                    }
                }
            });
            return row.isPresent() || !listed(field);
        });
        return out;
    }

    private boolean listed(String field) {
        TreeTableView<VmcsView.Item> t = vmcs().tree();
        for (int i = 0; i < t.getExpandedItemCount(); i++) {
            TreeItem<VmcsView.Item> ti = t.getTreeItem(i);
            if (ti != null && !ti.getValue().isGroup() && ti.getValue().row().name().equals(field)) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private Optional<TreeTableRow<VmcsView.Item>> fieldRow(String field) {
        return robot.from(vmcs().tree()).lookup(".tree-table-row-cell").match(n -> n instanceof TreeTableRow<?> r
                        && r.isVisible() && r.getItem() instanceof VmcsView.Item i && !i.isGroup()
                        && i.row().name().equals(field)).tryQueryAs(TreeTableRow.class)
                .map(r -> (TreeTableRow<VmcsView.Item>) r);
    }

    private long tableSelectedSeq() {
        return FxTests.onFx(() -> {
            var item = w.window.exitTable().table().getSelectionModel().getSelectedItem();
            return item == null ? -1L : item.seq();
        });
    }

    private void waitForDetails(long seq) {
        FxTests.waitUntil("the VMCS pane to show exit #" + seq, 10, () -> {
            w.window.updater().frame();
            ExitDetails d = w.window.exitDetails().model().details();
            return d != null && d.seq() == seq && d.available();
        });
    }

    @Test
    void f10OnHelloShowsTheSameIoExitInTheListRegistersVmcsAndExplanation() throws Exception {
        Guests.requireKvm();
        Path dir = Samples.directory();
        w = WindowFixture.open();
        FxTests.onFx(() -> w.vm.openGuest(GuestSpec.resolve(dir.resolve("hello")).build()));
        FxTests.waitUntil("hello to start paused", 20,
                () -> w.vm.session() != null && w.vm.session().state() == UiSession.State.PAUSED);
        assertThat(FxTests.onFx(() -> ((Label) vmcs().tree().getPlaceholder()).getText())).isEqualTo("select an exit");

        robot.clickOn("#timeline-canvas");
        robot.type(KeyCode.F10);
        FxTests.waitUntil("F10 to stop at the first exit", 10, () -> w.vm.session().source().size() == 1
                && w.vm.session().state() == UiSession.State.PAUSED && w.vm.selection().seq() == 0);
        ExitRecord r = FxTests.onFx(() -> w.vm.session().source().get(0));
        assertThat(r.exit()).isInstanceOf(KvmExit.Io.class);
        waitForDetails(0);
        // the exit list and the register pane show exit #0 too
        FxTests.waitUntil("the list to follow", 5, () -> tableSelectedSeq() == 0);
        assertThat(FxTests.onFx(() -> w.window.registers().title().getText())).contains("exit #0");
        assertThat(FxTests.onFx(() -> vmcs().title().getText()))
                .isEqualTo("VMCS · exit #0 · vCPU 0 · exit reason 30 IO_INSTRUCTION");

        // columns: field, encoding, width, value, provenance, meaning
        List<String> reason = rowTexts("VM_EXIT_REASON");
        assertThat(reason).containsExactly("VM_EXIT_REASON", "0x4402", "32-bit", "0x0000001E", "derived",
                "BASIC=30 IO_INSTRUCTION");
        // live: the instruction's bytes come from guest memory, so every bit of the qualification is known
        List<String> qual = rowTexts("EXIT_QUALIFICATION");
        assertThat(qual.get(3)).isEqualTo("0x0000000003F80000");
        assertThat(qual.get(5)).isEqualTo("PORT=0x3F8 SIZE=1 byte DIR=OUT OPERAND=DX");
        assertThat(FxTests.onFx(() -> w.window.exitDetails().vmcs().viewModel().noteProperty().get()))
                .contains("instruction bytes from guest memory: EE");

        // the explanation names the port and reads the qualification out, with the SDM reference
        String why = FxTests.onFx(() -> w.window.exitDetails().explanation().text());
        assertThat(why).contains("Port I/O").contains("KVM reported: out 0x3f8 size 1 = 0x48 'H'")
                .contains("Exit qualification 0x0000000003F80000 (derived)")
                .contains("OUT of 1 byte to port 0x3F8 (COM1 serial port (UART), data register).")
                .contains("Intel SDM Vol. 3C").doesNotContain("Unknown (?)");

        // a host-state field: no value, greyed, the reason on hover
        FxTests.onFx(() -> vmcs().search().setText("HOST_RIP"));
        List<String> host = rowTexts("HOST_RIP");
        assertThat(host.get(0)).isEqualTo("HOST_RIP");
        assertThat(host.get(3)).isEqualTo("—");
        assertThat(host.get(4)).isEqualTo("not visible");
        assertThat(String.join(" ", host.subList(3, 5))).doesNotContainPattern("[0-9]");   // no number
        TreeTableRow<VmcsView.Item> hostRow = FxTests.onFx(() -> fieldRow("HOST_RIP").orElseThrow());
        assertThat(FxTests.onFx(() -> hostRow.getStyleClass())).contains("vmcs-unavailable");
        String reasonWhy = FxTests.onFx(() -> hostRow.getItem().row().note());
        assertThat(reasonWhy).isNotBlank();
        assertThat(FxTests.onFx(() -> hostRow.getTooltip().getText())).isEqualTo("not visible: " + reasonWhy);
        assertThat(host.get(5)).isEqualTo(reasonWhy);    // in place of a meaning, greyed

        // search narrows the rows: typed into the box after Ctrl+F from the table
        FxTests.onFx(() -> vmcs().search().clear());
        int everything = FxTests.onFx(() -> vmcs().viewModel().visibleRowCount());
        assertThat(rowTexts("VM_EXIT_REASON")).isNotEmpty();
        robot.clickOn(FxTests.onFx(() -> fieldRow("VM_EXIT_REASON").orElseThrow()));
        FxTests.waitUntil("a click in the table to focus it", 5, () -> vmcs().tree().isFocused());
        assertThat(FxTests.onFx(() -> vmcs().detail().getText())).startsWith("VM_EXIT_REASON  0x4402  32-bit — ")
                .contains("\n0x0000001E · derived: ").contains("\n15:0 BASIC=30 IO_INSTRUCTION · 26 BUS_LOCK=0");
        robot.press(KeyCode.CONTROL, KeyCode.F).release(KeyCode.F, KeyCode.CONTROL);
        FxTests.waitUntil("Ctrl+F to focus the search", 5, () -> vmcs().search().isFocused());
        robot.write("qualif");
        FxTests.waitUntil("the search", 5, () -> vmcs().viewModel().visibleRowCount() == 1);
        assertThat(everything).isGreaterThan(150);
        assertThat(rowTexts("EXIT_QUALIFICATION").get(0)).isEqualTo("EXIT_QUALIFICATION");
        assertThat(rowTexts("VM_EXIT_REASON")).isEmpty();
        robot.type(KeyCode.ESCAPE);
        FxTests.waitUntil("Esc to clear the search", 5, () -> vmcs().viewModel().visibleRowCount() == everything);

        // the same exit as an AMD VMCB
        robot.clickOn("#vmcs-layout-vmcb");
        FxTests.waitUntil("the VMCB layout", 5, () -> vmcs().viewModel().row("EXIT_CODE") != null);
        List<String> code = rowTexts("EXIT_CODE");
        assertThat(code.get(3)).isEqualTo("0x000000000000007B");
        assertThat(FxTests.onFx(() -> vmcs().title().getText())).contains("EXITCODE 0x7B IOIO");
        robot.clickOn("#vmcs-layout-vmcs");
        FxTests.waitUntil("the VMCS layout", 5, () -> vmcs().viewModel().row("VM_EXIT_REASON") != null);

        // F11: one instruction; "changed only" keeps what differs from exit #0
        robot.clickOn("#timeline-canvas");
        robot.type(KeyCode.F11);
        FxTests.waitUntil("F11 to stop at the next exit", 10, () -> w.vm.session().source().size() == 2
                && w.vm.session().state() == UiSession.State.PAUSED && w.vm.selection().seq() == 1);
        waitForDetails(1);
        ExitRecord next = FxTests.onFx(() -> w.vm.session().source().get(1));
        assertThat(next.reason()).isEqualTo(KvmExitReason.DEBUG);
        assertThat(rowTexts("VM_EXIT_REASON").get(0)).isEqualTo("VM_EXIT_REASON ●");
        assertThat(FxTests.onFx(() -> fieldRow("VM_EXIT_REASON").orElseThrow().getStyleClass())).contains("vmcs-changed");
        assertThat(rowTexts("GUEST_CS_SELECTOR").get(0)).isEqualTo("GUEST_CS_SELECTOR");
        robot.clickOn("#vmcs-changed-only");
        FxTests.waitUntil("changed only", 5, () -> vmcs().viewModel().visibleRowCount() < everything);
        assertThat(FxTests.onFx(() -> vmcs().viewModel().groups()))
                .allSatisfy(g -> assertThat(g.rows()).isNotEmpty().allMatch(FieldRow::changed));
        assertThat(rowTexts("GUEST_CS_SELECTOR")).isEmpty();
        assertThat(rowTexts("VM_EXIT_REASON")).containsExactly("VM_EXIT_REASON ●", "0x4402", "32-bit", "0x00000000",
                "derived", "BASIC=0 EXCEPTION_NMI");
        assertThat(rowTexts("GUEST_RIP").get(0)).isEqualTo("GUEST_RIP ●");
        assertThat(FxTests.onFx(() -> w.window.exitDetails().explanation().text())).contains("Debug exit")
                .contains("single step");
        robot.clickOn("#vmcs-changed-only");
    }

    @Test
    void theBundledHelloTraceOpensAndTheInspectorFollowsTheSelection() throws Exception {
        w = WindowFixture.open();
        Path trace = Samples.directory().resolve("hello/hello.vmtrace");
        FxTests.onFx(() -> w.window.openTraceFile(trace));
        FxTests.waitUntil("the trace", 20, () -> w.vm.session() != null
                && w.vm.session().label().equals("hello.vmtrace") && w.vm.selection().seq() == 0);
        waitForDetails(0);
        assertThat(shown().bytesAsked()).isFalse();
        // the trace kept the code: the qualification's string, REP and operand bits are known on replay too
        assertThat(shown().bytesNote()).startsWith("instruction bytes from the code the trace kept: EE");
        List<String> qual = rowTexts("EXIT_QUALIFICATION");
        assertThat(qual.get(3)).isEqualTo("0x0000000003F80000");
        assertThat(qual.get(5)).contains("OPERAND=DX").contains("PORT=0x3F8").doesNotContain("?");
        assertThat(FxTests.onFx(() -> fieldRow("EXIT_QUALIFICATION").orElseThrow().getStyleClass()))
                .doesNotContain("vmcs-unknown-bits");
        assertThat(FxTests.onFx(() -> w.window.exitDetails().explanation().text()))
                .contains("port 0x3F8").contains("The port number came from DX").doesNotContain("Unknown (?)");
        assertThat(rowTexts("VM_EXIT_REASON").get(3)).isEqualTo("0x0000001E");

        // browsing: Right moves the selection and the inspector follows
        FxTests.onFx(() -> w.window.timeline().canvas().requestFocus());
        robot.type(KeyCode.RIGHT);
        FxTests.waitUntil("browsing", 5, () -> w.vm.selection().seq() == 1);
        waitForDetails(1);
        assertThat(FxTests.onFx(() -> vmcs().title().getText())).startsWith("VMCS · exit #1 · vCPU 0");
        assertThat(FxTests.onFx(() -> w.window.exitDetails().explanation().text()))
                .contains("KVM reported: out 0x3f8 size 1 = 0x65 'e'");
    }

    @Test
    void holdingAnArrowKeyComputesNoMoreThanTheNewestExit() throws Exception {
        w = WindowFixture.open();
        Path trace = Samples.directory().resolve("ioloop/ioloop.vmtrace");
        FxTests.onFx(() -> w.vm.openTrace(trace));
        FxTests.waitUntil("the trace", 20, () -> w.vm.session() != null && w.vm.selection().seq() == 0
                && w.vm.session().source().size() > 300);
        waitForDetails(0);
        ExitDetailsViewModel m = FxTests.onFx(() -> w.window.exitDetails().model());
        long before = FxTests.onFx(m::computationsStarted);
        // 200 moves in one burst on the FX thread, as a held key delivers them between two frames
        FxTests.onFx(() -> {
            for (int i = 0; i < 200; i++) {
                w.vm.selection().next();
            }
        });
        waitForDetails(200);
        assertThat(FxTests.onFx(m::computationsStarted) - before).isEqualTo(2);   // the first move, then the newest
        assertThat(FxTests.onFx(() -> vmcs().title().getText())).contains("exit #200");
    }

    @Test
    void thePresenterThemeEnlargesTheExplanation() throws Exception {
        w = WindowFixture.open();
        FxTests.onFx(() -> w.window.openTraceFile(Samples.directory().resolve("hello/hello.vmtrace")));
        FxTests.waitUntil("the trace", 20, () -> w.vm.session() != null && w.vm.selection().seq() == 0);
        waitForDetails(0);
        Label title = FxTests.onFx(() -> (Label) w.window.exitDetails().explanation().body()
                .lookup(".explanation-title"));
        assertThat(FxTests.onFx(title::getText)).isEqualTo("Port I/O");
        double size = FxTests.onFx(() -> title.getFont().getSize());
        double width = FxTests.onFx(() -> w.window.exitDetails().explanation().root().getWidth());
        robot.clickOn("#presenter-button");
        FxTests.waitUntil("the presenter theme", 5, () -> {
            w.stage.getScene().getRoot().applyCss();
            Label t = (Label) w.window.exitDetails().explanation().body().lookup(".explanation-title");
            return t.getFont().getSize() > size * 1.6;
        });
        // the presenter layout keeps the explanation on screen beside the registers (the VMCS table collapses)
        FxTests.waitUntil("the explanation beside the registers", 5, () -> {
            var root = w.window.exitDetails().explanation().root();
            return dev.vmscope.app.ui.layout.PresenterLayout.shows(root) && root.getWidth() > width / 2
                    && root.getWidth() > w.window.root().getWidth() / 4;
        });
        robot.clickOn("#presenter-button");
    }
}
