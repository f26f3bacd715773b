package dev.vmscope.app.ui.main;

import dev.vmscope.app.ui.session.UiSession;
import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.Guests;
import dev.vmscope.app.ui.testing.SyntheticExits;
import dev.vmscope.app.ui.testing.WindowFixture;
import dev.vmscope.app.ui.testing.WindowTest;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.trace.ExitStore;
import javafx.geometry.Point2D;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.text.Font;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives the real window on the headless toolkit: clicks, keys, a real guest on /dev/kvm. */
class MainWindowTest extends WindowTest {

    private static String sorted(String s) {
        char[] c = s.toCharArray();
        java.util.Arrays.sort(c);
        return new String(c);
    }

    private static String cellText(TableView<?> table, int row, String column) {
        Object v = table.getColumns().stream().filter(c -> column.equals(c.getText())).findFirst().orElseThrow()
                .getCellData(row);
        return String.valueOf(v);
    }

    /** The exit list's selected seq, the register title and the selection, all on the FX thread. */
    private long tableSelectedSeq() {
        return FxTests.onFx(() -> {
            var t = w.window.exitTable().table();
            var item = t.getSelectionModel().getSelectedItem();
            return item == null ? -1L : item.seq();
        });
    }

    private void clickTimelineOn(long seq) {
        Point2D p = FxTests.onFx(() -> {
            double[] xy = w.window.timeline().pointOf(seq);
            return w.window.timeline().canvas().localToScreen(xy[0], xy[1]);
        });
        robot.clickOn(p);
    }

    /** Zooms the timeline so exit {@code seq} and its neighbours are far apart, then redraws. */
    private void zoomAround(long seq) {
        FxTests.onFx(() -> {
            var tl = w.vm.timeline();
            var c = tl.source().columns();
            long lo = Math.max(0, seq - 3);
            long hi = Math.min(c.size() - 1, seq + 3);
            double span = Math.max(2_000, c.timeNs(hi) - c.timeNs(lo)) * 1.6;
            tl.zoom(tl.span() / span, tl.plotWidth() / 2);
            tl.centreOn(c.timeNs(seq));
            w.window.updater().frame();
            w.window.timeline().redrawNow();
        });
    }

    @Test
    void clickingTheTimelineSelectsTheExitEverywhereAndArrowsMoveOn() throws Exception {
        ExitStore store = Guests.run(Guests.demo());
        w = WindowFixture.open();
        FxTests.onFx(() -> w.vm.openReplay(store, "demo run"));
        w.frame();
        FxTests.waitUntil("the summary", 10, () -> w.vm.timeline().summary().built() >= store.size() / 16 * 16);
        long target = store.size() / 2;
        zoomAround(target);
        clickTimelineOn(target);
        FxTests.waitUntil("the click to select", 5, () -> w.vm.selection().seq() == target);
        ExitRecord r = store.get(target);
        // the exit list shows the same exit, selected
        FxTests.waitUntil("the list to follow", 5, () -> tableSelectedSeq() == target);
        String detail = FxTests.onFx(() -> {
            var t = w.window.exitTable().table();
            return cellText(t, t.getSelectionModel().getSelectedIndex(), "detail");
        });
        assertThat(detail).isEqualTo(r.exit().detail());
        // the register pane shows it too: title and RIP as text in the table's cells
        String title = FxTests.onFx(() -> w.window.registers().title().getText());
        assertThat(title).contains("exit #" + target).contains("vCPU " + r.vcpu());
        String rip = FxTests.onFx(() -> w.vm.registers().row("RIP").format(true));
        assertThat(Long.parseLong(rip.substring(2), 16)).isEqualTo(r.state().rip());
        assertThat(robot.lookup("#registers-table").queryTableView().getItems()).isNotEmpty();
        // the value is on screen as a cell's text (scrolled to: the panes under the list leave it less height)
        FxTests.onFx(() -> w.window.registers().table().scrollTo(w.vm.registers().row("RIP")));
        FxTests.waitUntil("RIP's value on screen", 5, () -> robot.lookup(rip).tryQuery().isPresent());

        // Right on the timeline: the next exit, everywhere
        robot.type(KeyCode.RIGHT);
        FxTests.waitUntil("Right to move on", 5, () -> w.vm.selection().seq() == target + 1);
        FxTests.waitUntil("the list to follow", 5, () -> tableSelectedSeq() == target + 1);
        assertThat(FxTests.onFx(() -> w.window.registers().title().getText())).contains("exit #" + (target + 1));

        // Down in the exit list: the next one again
        robot.clickOn(robot.lookup(".table-row-cell").match(n -> n.getStyleClass().contains("table-row-cell")
                && ((javafx.scene.control.TableRow<?>) n).isSelected()).queryAs(javafx.scene.Node.class));
        robot.type(KeyCode.DOWN);
        FxTests.waitUntil("Down to move on", 5, () -> w.vm.selection().seq() == target + 2);
        assertThat(FxTests.onFx(() -> w.window.registers().title().getText())).contains("exit #" + (target + 2));
        assertThat(FxTests.onFx(() -> w.window.timeline().layout() != null)).isTrue();
    }

    @Test
    void f10StepsALiveGuestToItsNextExitAndEveryPaneShowsIt() throws Exception {
        Guests.requireKvm();
        w = WindowFixture.open();
        FxTests.onFx(() -> w.vm.openGuest(Guests.demo()));
        FxTests.waitUntil("the guest to start paused", 20,
                () -> w.vm.session() != null && w.vm.session().state() == UiSession.State.PAUSED);
        assertThat(FxTests.onFx(() -> w.vm.session().source().size())).isZero();
        assertThat(FxTests.onFx(() -> w.vm.statusProperty().get())).contains("paused before the first instruction");

        // F11: one instruction (KVM single-step); its exit is selected everywhere
        robot.clickOn("#timeline-canvas");
        robot.type(KeyCode.F11);
        FxTests.waitUntil("F11 to produce an exit", 10, () -> w.vm.session().source().size() > 0
                && w.vm.session().state() == UiSession.State.PAUSED && w.vm.selection().seq() == 0);
        ExitRecord first = FxTests.onFx(() -> w.vm.session().source().get(0));
        assertThat(first.reason()).isEqualTo(dev.vmscope.engine.exit.KvmExitReason.DEBUG);
        assertThat(first.state().rip()).isEqualTo(0x1006);   // past "mov eax, 1" (66 B8 imm32)
        FxTests.waitUntil("the list to show it", 5, () -> tableSelectedSeq() == 0);
        assertThat(FxTests.onFx(() -> w.window.registers().title().getText())).contains("exit #0");

        // step until the guest writes a character to the UART
        KvmExit.Io out = null;
        long seq = -1;
        for (int i = 0; i < 20 && out == null; i++) {
            long before = FxTests.onFx(() -> w.vm.session().source().size());
            robot.clickOn("#timeline-canvas");   // focus somewhere harmless; F10 is a window-wide accelerator
            robot.type(KeyCode.F10);
            FxTests.waitUntil("F10 to produce an exit", 10, () -> w.vm.session().source().size() > before
                    && w.vm.session().state() == UiSession.State.PAUSED && w.vm.selection().seq() == before);
            seq = before;
            ExitRecord r = FxTests.onFx(() -> w.vm.session().source().get(before));
            if (r.exit() instanceof KvmExit.Io io && io.out() && io.port() == 0x3F8) {
                out = io;
            }
        }
        assertThat(out).as("an OUT to the UART within 20 steps").isNotNull();
        long s = seq;
        ExitRecord r = FxTests.onFx(() -> w.vm.session().source().get(s));
        FxTests.waitUntil("the list to show it", 5, () -> tableSelectedSeq() == s);
        String detail = FxTests.onFx(() -> {
            var t = w.window.exitTable().table();
            return cellText(t, t.getSelectionModel().getSelectedIndex(), "detail");
        });
        assertThat(detail).startsWith("out 0x3f8 size 1 = 0x" + Long.toHexString(out.value()));
        // the character is in AL
        assertThat(FxTests.onFx(() -> w.vm.registers().row("RAX").value()) & 0xFF).isEqualTo(out.value());
        // the VMCS inspector too: exit reason 30, and the port in a qualification the guest's bytes complete
        FxTests.waitUntil("the VMCS pane to show it", 10, () -> {
            var d = w.window.exitDetails().model().details();
            return d != null && d.seq() == s && d.available();
        });
        var vmcs = w.window.exitDetails().vmcs();
        assertThat(FxTests.onFx(() -> vmcs.title().getText())).contains("exit #" + s).endsWith("30 IO_INSTRUCTION");
        assertThat(FxTests.onFx(() -> vmcs.viewModel().row("VM_EXIT_REASON").value())).isEqualTo("0x0000001E");
        assertThat(FxTests.onFx(() -> vmcs.viewModel().row("EXIT_QUALIFICATION").value()))
                .isEqualTo("0x0000000003F80000");
        assertThat(FxTests.onFx(() -> w.window.registers().title().getText())).contains("exit #" + s);
        assertThat(FxTests.onFx(() -> w.vm.timeline().selection().seq())).isEqualTo(s);
        assertThat(r.vcpu()).isBetween(0, 1);

        // continue: the guest runs to its end and prints both greetings
        robot.type(KeyCode.F5);
        FxTests.waitUntil("the guest to finish", 20, () -> w.vm.session().state() == UiSession.State.FINISHED);
        // both vCPUs print at once, so their characters may interleave on the one UART: the console holds all
        // of them, and each vCPU's OUTs to 0x3F8 spell its own greeting three times
        String zero = "Hello from vCPU 0!\n";
        String one = "vCPU 1 says hi.\n";
        FxTests.waitUntil("the console", 10, () -> {
            w.window.updater().frame();
            return w.window.console().text().length() >= 3 * (zero.length() + one.length());
        });
        assertThat(sorted(FxTests.onFx(() -> w.window.console().text()))).isEqualTo(sorted((zero + one).repeat(3)));
        StringBuilder[] said = {new StringBuilder(), new StringBuilder()};
        FxTests.onFx(() -> w.vm.session().source().scan(0, w.vm.session().source().size(), e -> {
            if (e.exit() instanceof KvmExit.Io io && io.out() && io.port() == 0x3F8) {
                said[e.vcpu()].append((char) io.value());
            }
        }));
        assertThat(said[0].toString()).isEqualTo(zero.repeat(3));
        assertThat(said[1].toString()).isEqualTo(one.repeat(3));
        assertThat(FxTests.onFx(() -> w.vm.statusProperty().get())).contains("finished").contains("HALTED");
    }

    @Test
    void thePresenterThemeSwapsTheStylesheetAndEnlargesTheType() throws Exception {
        w = WindowFixture.open();
        FxTests.onFx(() -> w.vm.openReplay(SyntheticExits.fill(5_000, 2, 1_000, 3), "synthetic"));
        Label status = robot.lookup("#status-label").queryAs(Label.class);
        double before = FxTests.onFx(() -> status.getFont().getSize());
        assertThat(FxTests.onFx(() -> w.stage.getScene().getStylesheets()))
                .noneMatch(s -> s.endsWith("presenter.css"));
        robot.clickOn("#presenter-button");
        FxTests.waitUntil("the theme", 5, () -> w.stage.getScene().getStylesheets().stream()
                .anyMatch(s -> s.endsWith("presenter.css")));
        FxTests.waitUntil("the CSS pass", 5, () -> {
            w.stage.getScene().getRoot().applyCss();
            return status.getFont().getSize() > before * 1.5;
        });
        assertThat(FxTests.onFx(() -> w.vm.timeline().fontScaleProperty().get())).isGreaterThan(1.5);
        // and back, from the keyboard
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.P).release(KeyCode.P, KeyCode.SHIFT, KeyCode.CONTROL);
        FxTests.waitUntil("the default theme", 5, () -> w.stage.getScene().getStylesheets().stream()
                .noneMatch(s -> s.endsWith("presenter.css")));
        assertThat(Font.getDefault()).isNotNull();
    }

    @Test
    void aReplayOfHalfAMillionExitsListsEveryOneAndJumpsToTheEnd() throws Exception {
        ExitStore store = SyntheticExits.fill(500_000, 2, 1_000, 4);
        w = WindowFixture.open();
        FxTests.onFx(() -> w.vm.openReplay(store, "big"));
        w.frame();
        assertThat(FxTests.onFx(() -> w.vm.exits().rowCount())).isEqualTo(500_000);
        assertThat(FxTests.onFx(() -> w.window.exitTable().table().getItems().size()))
                .isEqualTo(dev.vmscope.app.ui.exits.ExitTableViewModel.PAGE);
        assertThat(FxTests.onFx(() -> w.vm.selection().seq())).isZero();
        assertThat(robot.lookup("#exit-overview").query().isVisible()).as("the bar over the whole list").isTrue();
        robot.clickOn("#timeline-canvas");
        robot.type(KeyCode.END);
        FxTests.waitUntil("End to select the last exit", 5, () -> w.vm.selection().seq() == 499_999);
        FxTests.waitUntil("the list to follow", 5, () -> tableSelectedSeq() == 499_999);
        // the overview bar scrolls the whole list: its middle shows the middle exits, and a click there selects one
        var bar = (javafx.scene.control.ScrollBar) robot.lookup("#exit-overview").query();
        FxTests.onFx(() -> bar.setValue(250_000));
        FxTests.waitUntil("the list at the middle", 5, () -> {
            var first = w.window.exitTable().table().getItems().get(0).seq();
            return first <= 250_000 && first + w.window.exitTable().table().getItems().size() > 250_000;
        });
        FxTests.onFx(() -> w.window.exitTable().table().getSelectionModel()
                .select(250_000 - (int) w.window.exitTable().table().getItems().get(0).seq()));
        FxTests.waitUntil("the row's exit selected everywhere", 5, () -> w.vm.selection().seq() == 250_000);
        // the live-run controls are off in a replay
        assertThat(robot.lookup("#continue-button").queryButton().isDisabled()).isTrue();
        assertThat(robot.lookup("#step-exit-button").queryButton().isDisabled()).isTrue();
        assertThat(FxTests.onFx(() -> w.vm.statusProperty().get())).contains("replay").contains("500,000 exits");
    }

    @Test
    void theSamplesListShowsEverySampleAndRunsOneOnDoubleClick() throws Exception {
        Guests.requireKvm();
        java.nio.file.Path dir = Samples.directory();
        int expected = Samples.list(dir).size();
        assertThat(expected).as("samples in " + dir).isGreaterThan(0);
        w = WindowFixture.open();
        FxTests.onFx(() -> w.vm.loadSamples(dir));
        FxTests.waitUntil("the samples", 10, () -> w.vm.samples().size() == expected);
        var hello = FxTests.onFx(() -> w.vm.samples().stream().filter(m -> m.name().equals("hello")).findFirst()
                .orElseThrow());
        assertThat(hello.description()).isNotBlank();
        java.util.function.Supplier<java.util.Optional<javafx.scene.control.ListCell<?>>> find = () -> robot
                .lookup(".list-cell").match(n -> n instanceof javafx.scene.control.ListCell<?> c
                        && c.getItem() == hello).tryQuery();
        FxTests.waitUntil("hello's cell", 5, () -> find.get().isPresent());
        var cell = find.get().orElseThrow();
        assertThat(cell.getText()).contains("hello").contains(hello.description());
        robot.doubleClickOn(cell);
        FxTests.waitUntil("hello to start paused", 20, () -> w.vm.session() != null
                && w.vm.session().label().equals("hello") && w.vm.session().state() == UiSession.State.PAUSED);
        robot.type(KeyCode.F5);
        FxTests.waitUntil("hello to finish", 20, () -> w.vm.session().state() == UiSession.State.FINISHED);
        FxTests.waitUntil("its greeting", 5, () -> {
            w.window.updater().frame();
            return !w.window.console().text().isBlank();
        });
    }

    @Test
    void withoutKvmTheWindowOpensInReplayModeAndSaysWhy() throws Exception {
        w = WindowFixture.open();
        var request = dev.vmscope.app.ui.LaunchRequest.guest(Guests.demo().toBuilder()
                .kvmDevice("/nonexistent/kvm").build());
        FxTests.onFx(() -> dev.vmscope.app.ui.VmscopeApp.open(w.vm, request));
        Label banner = robot.lookup("#banner").queryAs(Label.class);
        FxTests.waitUntil("the banner", 10, () -> banner.isVisible() && banner.getText().startsWith("Replay mode"));
        assertThat(banner.getText()).contains("KVM is not available").contains("/nonexistent/kvm");
        assertThat(FxTests.onFx(() -> w.vm.session())).isNull();
        assertThat(robot.lookup("#continue-button").queryButton().isDisabled()).isTrue();
        // a recorded run still opens and browses
        ExitStore store = SyntheticExits.fill(2_000, 1, 1_000, 8);
        FxTests.onFx(() -> w.vm.openReplay(store, "recorded"));
        FxTests.onFx(() -> w.window.timeline().canvas().requestFocus());   // a click would select what it hits
        assertThat(FxTests.onFx(() -> w.vm.selection().seq())).isZero();
        robot.type(KeyCode.RIGHT);
        FxTests.waitUntil("browsing", 5, () -> w.vm.selection().seq() == 1);
    }

    @Test
    void hoverFilterRadixAndCopyWorkFromTheMouseAndKeyboard() throws Exception {
        ExitStore store = Guests.run(Guests.demo());
        w = WindowFixture.open();
        FxTests.onFx(() -> w.vm.openReplay(store, "demo run"));
        w.frame();
        FxTests.waitUntil("the summary", 10, () -> w.vm.timeline().summary().built() >= store.size() / 16 * 16);
        // hovering a mark tells its reason and decoded payload
        long target = 40;
        zoomAround(target);
        ExitRecord r = store.get(target);
        // the mark's place is asked again before each move: under load a late layout pass can shift the canvas
        // after the first look, and a pointer left beside the mark would never hover it
        long end = System.nanoTime() + 30_000_000_000L;
        while (!FxTests.onFx(() -> w.vm.timeline().hoverTextProperty().get().startsWith("#" + target))) {
            assertThat(System.nanoTime()).as("the hover text of #%d", target).isLessThan(end);
            Point2D p = FxTests.onFx(() -> {
                double[] xy = w.window.timeline().pointOf(target);
                return w.window.timeline().canvas().localToScreen(xy[0], xy[1]);
            });
            robot.moveTo(p);
            w.frame();
        }
        assertThat(w.vm.timeline().hoverTextProperty().get()).contains(r.reason().name()).contains(r.exit().detail());

        // the text filter narrows the list to MMIO writes
        robot.clickOn("#text-filter").write("write 0x98000");
        FxTests.waitUntil("the filter", 10, () -> !w.vm.exits().busyProperty().get()
                && w.window.exitTable().table().getItems().size() == 6);   // 3 lines x 2 vCPUs
        assertThat(FxTests.onFx(() -> w.window.exitTable().table().getItems().get(0).detail())).startsWith("write 0x98000");
        assertThat(robot.lookup("#exit-count").queryLabeled().getText()).startsWith("6 of " + store.size());

        // a filtered row selects its exit everywhere
        long mmioSeq = FxTests.onFx(() -> w.window.exitTable().table().getItems().get(2).seq());
        FxTests.onFx(() -> w.window.exitTable().table().getSelectionModel().select(2));
        FxTests.waitUntil("selection", 5, () -> w.vm.selection().seq() == mmioSeq);
        assertThat(FxTests.onFx(() -> w.window.registers().title().getText())).contains("exit #" + mmioSeq);

        // decimal values, then copy RBX (the vCPU index the guest wrote) with Ctrl+C
        robot.clickOn("#dec-button");
        long rbx = store.get(mmioSeq).state().rbx();
        FxTests.waitUntil("decimal", 5, () -> w.vm.registers().row("RBX").format(w.vm.registers().hexProperty().get())
                .equals(Long.toString(rbx & 0xFFFFFFFFL)));
        int rbxRow = FxTests.onFx(() -> w.vm.registers().rows().indexOf(w.vm.registers().row("RBX")));
        FxTests.onFx(() -> {
            w.window.registers().table().getSelectionModel().select(rbxRow);
            w.window.registers().table().requestFocus();
        });
        robot.press(KeyCode.CONTROL, KeyCode.C).release(KeyCode.C, KeyCode.CONTROL);
        FxTests.waitUntil("the clipboard", 5, () -> Long.toString(rbx & 0xFFFFFFFFL)
                .equals(javafx.scene.input.Clipboard.getSystemClipboard().getString()));
    }

    @Test
    void withoutKvmASampleOpensItsBundledTraceAndADamagedTraceSaysWhatWasLost() throws Exception {
        w = WindowFixture.open();
        java.nio.file.Path dir = Samples.directory();
        FxTests.onFx(() -> w.vm.loadSamples(dir));
        var request = dev.vmscope.app.ui.LaunchRequest.guest(Guests.demo().toBuilder()
                .kvmDevice("/nonexistent/kvm").build());
        FxTests.onFx(() -> dev.vmscope.app.ui.VmscopeApp.open(w.vm, request));
        FxTests.waitUntil("replay mode", 10, () -> !w.vm.kvmAvailableProperty().get() && !w.vm.samples().isEmpty());
        // double-click "hello": its recorded trace opens and browses
        java.util.function.Supplier<java.util.Optional<javafx.scene.control.ListCell<?>>> find = () -> robot
                .lookup(".list-cell").match(n -> n instanceof javafx.scene.control.ListCell<?> c
                        && c.getItem() instanceof dev.vmscope.engine.machine.GuestSpec.Manifest m
                        && m.name().equals("hello")).tryQuery();
        FxTests.waitUntil("hello's cell", 5, () -> find.get().isPresent());
        robot.doubleClickOn(find.get().orElseThrow());
        FxTests.waitUntil("the trace", 10, () -> w.vm.session() != null && w.vm.session().label().equals("hello.vmtrace")
                && w.vm.session().source().size() > 0);
        long n = FxTests.onFx(() -> w.vm.session().source().size());
        assertThat(FxTests.onFx(() -> w.window.exitTable().table().getItems().size())).isEqualTo((int) n);
        FxTests.onFx(() -> w.window.timeline().canvas().requestFocus());
        robot.type(KeyCode.RIGHT);
        FxTests.waitUntil("browsing", 5, () -> w.vm.selection().seq() == 1);
        assertThat(FxTests.onFx(() -> w.window.registers().title().getText())).contains("exit #1");
        FxTests.waitUntil("the console", 5, () -> {
            w.window.updater().frame();
            return !w.window.console().text().isBlank();
        });

        // a trace cut short opens with what survived, and the banner says what was lost
        java.nio.file.Path cut = java.nio.file.Files.createTempFile("cut", ".vmtrace");
        byte[] whole = java.nio.file.Files.readAllBytes(dir.resolve("ioloop/ioloop.vmtrace"));
        java.nio.file.Files.write(cut, java.util.Arrays.copyOf(whole, whole.length * 2 / 3));
        FxTests.onFx(() -> w.vm.openTrace(cut));
        FxTests.waitUntil("the cut trace", 20, () -> w.vm.session() != null
                && w.vm.session().label().equals(cut.getFileName().toString()));
        // it shows while it is read; what was lost is known, and said, once the reader reaches the cut
        FxTests.waitUntil("the banner", 20, () -> w.vm.bannerProperty().get().contains("cut short"));
        assertThat(FxTests.onFx(() -> w.vm.session().source().size())).isGreaterThan(0);

        // opening can be cancelled; the window keeps what it showed
        FxTests.onFx(() -> {
            w.vm.openTrace(dir.resolve("ioloop/ioloop.vmtrace"));
            w.vm.cancelOpen();
        });
        FxTests.waitUntil("the cancel", 20, () -> w.vm.statusProperty().get().contains("cancelled"));
        assertThat(FxTests.onFx(() -> w.vm.session().label())).isEqualTo(cut.getFileName().toString());
        assertThat(FxTests.onFx(() -> w.vm.openProgressProperty().get())).isEqualTo(-1);
        java.nio.file.Files.deleteIfExists(cut);
    }
}
