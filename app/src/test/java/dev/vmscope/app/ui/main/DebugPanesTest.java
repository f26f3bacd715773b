package dev.vmscope.app.ui.main;

import dev.vmscope.app.ui.disasm.ListingText;
import dev.vmscope.app.ui.memory.MemoryViewModel;
import dev.vmscope.app.ui.session.GuestBytes;
import dev.vmscope.app.ui.session.UiSession;
import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.Guests;
import dev.vmscope.app.ui.testing.WindowFixture;
import dev.vmscope.app.ui.testing.WindowTest;
import dev.vmscope.engine.debug.Disassembler;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.trace.LoadedTrace;
import dev.vmscope.engine.trace.TraceReader;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The debugger's panes in the real window on the headless toolkit, driving the hello sample on /dev/kvm:
 * breakpoints set by clicking and typing, F5, the disassembly and memory tabs, the Record toggle.
 */
class DebugPanesTest extends WindowTest {
    private static final long LOAD = 0x1000;   // hello's sample.properties: load=0x1000, real mode, CS=0

    private static Path helloDir() {
        return Samples.directory().resolve("hello");
    }

    private static byte[] helloImage() throws Exception {
        return Files.readAllBytes(helloDir().resolve("hello.bin"));
    }

    /** The window with hello started live, paused before its first instruction. */
    private void openHello() throws Exception {
        Guests.requireKvm();
        MachineConfig hello = GuestSpec.resolve(helloDir()).build();
        w = WindowFixture.open();
        FxTests.onFx(() -> w.vm.openGuest(hello));
        FxTests.waitUntil("hello to start paused", 20, () -> w.vm.session() != null
                && w.vm.session().state() == UiSession.State.PAUSED
                && "hello".equals(w.window.debugPanes().breakpoints().guest())
                && w.window.debugPanes().breakpoints().editableProperty().get());
    }

    private <T extends Node> T node(String query, Class<T> type) {
        return robot.lookup(query).queryAs(type);
    }

    /** Clicks a node of the breakpoints panel, scrolled into view first (the panel scrolls). */
    private org.testfx.api.FxRobotInterface clickBp(String query) {
        Node n = FxTests.onFx(() -> {   // looked up on the FX thread: the panel's rows change under a lookup
            Node found = robot.lookup(query).query();
            w.window.debugPanes().breakpointsView().reveal(found);
            return found;
        });
        return robot.clickOn(n);
    }

    private String text(String labelQuery) {
        return FxTests.onFx(() -> node(labelQuery, Label.class).getText());
    }

    /** F5 from a harmless focus (the timeline), then waits until the guest is paused again or finished. */
    private void continueAndWait(long sizeBefore) {
        // the state must be one the engine reported after F5: under load the report of the run can come after
        // its first exit is stored, and the paused state from before F5 would then pass for the stop
        long version = FxTests.onFx(() -> w.vm.session().stateVersion());
        robot.clickOn("#timeline-canvas");
        robot.type(KeyCode.F5);
        FxTests.waitUntil("the guest to stop", 20, () -> w.vm.session().source().size() > sizeBefore
                && w.vm.session().stateVersion() > version && w.vm.session().state() != UiSession.State.RUNNING
                && w.vm.canResumeProperty().get() == (w.vm.session().state() == UiSession.State.PAUSED));
        w.frame();
    }

    private ExitRecord selectedExit() {
        return FxTests.onFx(() -> {
            var item = w.window.exitTable().table().getSelectionModel().getSelectedItem();
            return item == null ? null : w.vm.session().source().get(item.seq());
        });
    }

    private String selectedDetail() {
        return FxTests.onFx(() -> {
            var t = w.window.exitTable().table();
            var detail = t.getColumns().stream().filter(c -> "detail".equals(c.getText())).findFirst().orElseThrow();
            return String.valueOf(detail.getCellData(t.getSelectionModel().getSelectedIndex()));
        });
    }

    @Test
    void anIoBreakpointSetInThePanelStopsContinueAtTheFirstCharacter() throws Exception {
        openHello();
        clickBp("#bp-reason-IO");
        assertThat(FxTests.onFx(() -> node("#bp-cond-IO", TextField.class).isVisible())).isTrue();
        clickBp("#bp-cond-IO").write("port=0x3f8").type(KeyCode.ENTER);
        FxTests.waitUntil("the breakpoint to be set", 10, () -> "0 hits".equals(text("#bp-hits-IO")));

        continueAndWait(0);
        // paused at the IO exit that wrote 'H', and every pane says so
        assertThat(FxTests.onFx(() -> w.vm.session().state())).isEqualTo(UiSession.State.PAUSED);
        String status = text("#status-label");
        assertThat(status).contains("paused at exit #0").contains("IO").contains("breakpoint: exit IO port=0x3f8");
        FxTests.waitUntil("the list to select the stop", 5, () -> selectedExit() != null && selectedExit().seq() == 0);
        ExitRecord r = selectedExit();
        assertThat(r.reason()).isEqualTo(KvmExitReason.IO);
        assertThat(((KvmExit.Io) r.exit()).port()).isEqualTo(0x3f8);
        assertThat(selectedDetail()).startsWith("out 0x3f8").endsWith("'H'");
        FxTests.waitUntil("the hit count", 5, () -> "◆ 1 hit".equals(text("#bp-hits-IO")));
        assertThat(FxTests.onFx(() -> node("#bp-row-IO", Node.class).getPseudoClassStates().toString()))
                .contains("stopped");

        // once more: the next character
        continueAndWait(1);
        FxTests.waitUntil("the second hit", 5, () -> "◆ 2 hits".equals(text("#bp-hits-IO")));
        assertThat(selectedDetail()).endsWith("'e'");

        // unchecked, the guest runs to its end; the count stays
        clickBp("#bp-reason-IO");
        FxTests.waitUntil("the breakpoint off", 5, () -> !w.window.debugPanes().breakpoints().reason("IO").checked());
        long n = FxTests.onFx(() -> w.vm.session().source().size());
        continueAndWait(n);
        FxTests.waitUntil("the guest to finish", 20, () -> w.vm.session().state() == UiSession.State.FINISHED);
        FxTests.waitUntil("the greeting", 5, () -> {
            w.frame();
            return w.window.console().text().contains("Hello from real mode!");
        });
        assertThat(text("#bp-hits-IO")).isEqualTo("2 hits");
    }

    @Test
    void aBadConditionShowsTheEnginesErrorNextToTheRow() throws Exception {
        openHello();
        clickBp("#bp-reason-IO");
        clickBp("#bp-cond-IO").write("port=0x3f8 sideways").type(KeyCode.ENTER);
        FxTests.waitUntil("the error", 10, () -> node("#bp-error-IO", Label.class).isVisible());
        assertThat(text("#bp-error-IO")).contains("unknown breakpoint condition 'sideways'")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(text("#bp-hits-IO")).isEmpty();
        // fixed: the error goes, the breakpoint is set
        FxTests.onFx(() -> node("#bp-cond-IO", TextField.class).clear());
        clickBp("#bp-cond-IO").write("port=0x3f8 out").type(KeyCode.ENTER);
        FxTests.waitUntil("the fix", 10, () -> !node("#bp-error-IO", Label.class).isVisible()
                && "0 hits".equals(text("#bp-hits-IO")));
        // a number that is no number
        FxTests.onFx(() -> node("#bp-cond-IO", TextField.class).clear());
        clickBp("#bp-cond-IO").write("port=0xzz").type(KeyCode.ENTER);
        FxTests.waitUntil("the second error", 10, () -> node("#bp-error-IO", Label.class).isVisible());
        assertThat(text("#bp-error-IO")).contains("port");
    }

    @Test
    void anAddressBreakpointStopsAtItsAddressAndFourIsTheLimit() throws Exception {
        openHello();
        // hello's "cli" comes after the print loop: an execute breakpoint there stops once every byte is out
        long cli = Disassembler.disassemble(helloImage(), LOAD, 16, 20).stream()
                .filter(i -> i.mnemonic().equals("cli")).findFirst().orElseThrow().address();
        clickBp("#bp-address-field").write(Long.toHexString(cli)).type(KeyCode.ENTER);
        FxTests.waitUntil("the address row", 10, () -> robot.lookup("#bp-address-0").tryQuery().isPresent()
                && "0 hits".equals(text("#bp-address-hits-0")));
        assertThat(FxTests.onFx(() -> node("#bp-address-0", CheckBox.class).getText()))
                .isEqualTo(String.format("0x%x x", cli));

        continueAndWait(0);
        assertThat(FxTests.onFx(() -> w.vm.session().state())).isEqualTo(UiSession.State.PAUSED);
        FxTests.waitUntil("the stop to be selected", 5, () -> selectedExit() != null
                && selectedExit().reason() == KvmExitReason.DEBUG);
        assertThat(selectedExit().state().rip()).isEqualTo(cli);
        assertThat(text("#status-label")).contains("breakpoint: addr 0x" + Long.toHexString(cli));
        FxTests.waitUntil("the hit count", 5, () -> "◆ 1 hit".equals(text("#bp-address-hits-0")));
        FxTests.waitUntil("the greeting", 5, () -> {
            w.frame();
            return w.window.console().text().contains("Hello from real mode!");
        });

        // three more fill the debug registers: the panel says so and will not add a fifth
        for (String a : new String[]{"0x2000", "0x3000", "0x4000"}) {
            clickBp("#bp-address-field").write(a).type(KeyCode.ENTER);
        }
        FxTests.waitUntil("four rows", 5, () -> w.window.debugPanes().breakpoints().addresses().size() == 4);
        assertThat(text("#bp-address-title")).contains("4 of 4").contains("full");
        assertThat(FxTests.onFx(() -> node("#bp-address-add", Button.class).isDisabled())).isTrue();
        clickBp("#bp-address-field").write("0x5000").type(KeyCode.ENTER);
        FxTests.waitUntil("the message", 5, () -> node("#bp-address-message", Label.class).isVisible());
        assertThat(text("#bp-address-message")).contains("All four debug registers");
        // deleting one frees a slot
        clickBp("#bp-address-delete-3");
        FxTests.waitUntil("three rows", 5, () -> w.window.debugPanes().breakpoints().addresses().size() == 3);
        assertThat(FxTests.onFx(() -> node("#bp-address-add", Button.class).isDisabled())).isFalse();
    }

    @Test
    void theDisassemblyTabMarksTheInstructionAtRip() throws Exception {
        openHello();
        showTab("disassembly-tab");
        // before the first instruction: the code at the entry point, its first instruction marked
        FxTests.waitUntil("the listing at the entry", 10, () -> w.window.debugPanes().disassembly()
                .listingProperty().get() != null);
        ListingText first = FxTests.onFx(() -> w.window.debugPanes().disassembly().listingProperty().get());
        assertThat(first.line(first.current())).startsWith(ListingText.MARK)
                .contains(String.format("%08x", LOAD)).endsWith("cld");

        // F11 twice: RIP moves, the listing follows the selected exit
        robot.clickOn("#timeline-canvas");
        robot.type(KeyCode.F11);
        FxTests.waitUntil("one step", 10, () -> w.vm.selection().seq() == 0
                && w.vm.session().state() == UiSession.State.PAUSED);
        robot.type(KeyCode.F11);
        FxTests.waitUntil("two steps", 10, () -> w.vm.selection().seq() == 1
                && w.vm.session().state() == UiSession.State.PAUSED);
        long rip = FxTests.onFx(() -> w.vm.session().source().get(1).state().rip());
        byte[] img = helloImage();
        Disassembler.Insn expected = Disassembler.disassemble(
                Arrays.copyOfRange(img, (int) (rip - LOAD), img.length), rip, 16, 1).get(0);
        FxTests.waitUntil("the listing at RIP", 10, () -> {
            ListingText t = w.window.debugPanes().disassembly().listingProperty().get();
            return t != null && t.line(t.current()).contains(String.format("%08x", rip));
        });
        ListingText t = FxTests.onFx(() -> w.window.debugPanes().disassembly().listingProperty().get());
        String marked = t.line(t.current());
        assertThat(marked).startsWith(ListingText.MARK).endsWith(expected.text());
        assertThat(t.current()).isGreaterThan(0);   // the instructions before RIP are shown too
        // on screen: the area's marked paragraph is that text, styled as the current line
        assertThat(FxTests.onFx(() -> w.window.debugPanes().disassembly().listingProperty().get() == t)).isTrue();
        var area = FxTests.onFx(() -> (org.fxmisc.richtext.StyleClassedTextArea)
                w.stage.getScene().lookup("#disassembly-text"));
        assertThat(FxTests.onFx(() -> area.getParagraph(t.current()).getText())).isEqualTo(marked);
        assertThat(FxTests.onFx(() -> area.getParagraph(t.current()).getParagraphStyle())).contains("asm-current");
        assertThat(text("#disassembly-title")).contains("vCPU 0").contains("exit #1").contains("16-bit");
    }

    @Test
    void theMemoryTabShowsTheGuestBytesAtRipAndSaysWhatItCannotRead() throws Exception {
        openHello();
        showTab("memory-tab");
        robot.clickOn("#timeline-canvas");
        robot.type(KeyCode.F10);
        FxTests.waitUntil("the first exit", 10, () -> w.vm.selection().seq() == 0
                && w.vm.session().state() == UiSession.State.PAUSED);
        long rip = FxTests.onFx(() -> w.vm.session().source().get(0).state().rip());
        byte[] img = helloImage();
        int off = (int) (rip - LOAD);
        String expected = String.format("%08x  %s  %s", rip, dev.vmscope.app.ui.memory.HexDump.hex(img, off, 8),
                dev.vmscope.app.ui.memory.HexDump.hex(img, off + 8, 8));
        var area = FxTests.onFx(() -> (org.fxmisc.richtext.StyleClassedTextArea)
                w.stage.getScene().lookup("#memory-text"));
        FxTests.waitUntil("the dump at RIP", 10, () -> area.getParagraphs().size() > 1
                && area.getParagraph(0).getText().startsWith(expected));
        assertThat(text("#memory-where")).contains(String.format("linear 0x%x = CS.base 0x0 + RIP 0x%x", rip, rip));

        // a typed physical address: the image as loaded
        robot.clickOn("#memory-physical");
        FxTests.onFx(() -> node("#memory-address", TextField.class).clear());
        robot.clickOn("#memory-address").write("0x1000").type(KeyCode.ENTER);
        String start = String.format("%08x  %s", LOAD, dev.vmscope.app.ui.memory.HexDump.hex(img, 0, 8));
        FxTests.waitUntil("the dump at 0x1000", 10, () -> area.getParagraph(0).getText().startsWith(start));
        assertThat(text("#memory-where")).startsWith("physical 0x1000");

        // past the end of RAM: a message, no dump
        FxTests.onFx(() -> node("#memory-address", TextField.class).clear());
        robot.clickOn("#memory-address").write("0x40000000").type(KeyCode.ENTER);
        FxTests.waitUntil("the message", 10, () -> node("#memory-message", Label.class).isVisible()
                && text("#memory-message").contains("outside guest RAM"));
        assertThat(FxTests.onFx(() -> w.window.debugPanes().memory().dumpProperty().get())).isNull();
        FxTests.onFx(() -> node("#memory-address", TextField.class).clear());
        robot.clickOn("#memory-address").write("rip").type(KeyCode.ENTER);
        FxTests.waitUntil("the parse message", 10, () -> text("#memory-message").contains("not an address"));
    }

    @Test
    void inLongModeTheListingIs64BitAndAnUnmappedLinearAddressSaysSo() throws Exception {
        Guests.requireKvm();
        MachineConfig longmode = GuestSpec.resolve(Samples.directory().resolve("longmode")).build();
        w = WindowFixture.open();
        FxTests.onFx(() -> w.vm.openGuest(longmode));
        FxTests.waitUntil("longmode to start paused", 20, () -> w.vm.session() != null
                && w.vm.session().state() == UiSession.State.PAUSED
                && w.window.debugPanes().breakpoints().editableProperty().get());
        clickBp("#bp-reason-IO");
        FxTests.waitUntil("the breakpoint", 10, () -> "0 hits".equals(text("#bp-hits-IO")));
        continueAndWait(0);
        FxTests.waitUntil("the IO stop selected", 5, () -> selectedExit() != null
                && selectedExit().reason() == KvmExitReason.IO);
        ExitRecord r = selectedExit();
        assertThat(r.state().codeBits()).isEqualTo(64);
        showTab("disassembly-tab");
        FxTests.waitUntil("the 64-bit listing", 10, () -> {
            ListingText t = w.window.debugPanes().disassembly().listingProperty().get();
            // KVM reports the OUT with RIP past it: the mark is on the OUT itself (one byte, EE)
            return t != null && t.line(t.current()).contains(String.format("%016x", r.state().rip() - 1));
        });
        assertThat(text("#disassembly-title")).contains("64-bit code");
        ListingText t = FxTests.onFx(() -> w.window.debugPanes().disassembly().listingProperty().get());
        assertThat(t.text().lines().filter(x -> x.endsWith("out dx, al")).count()).isEqualTo(1);
        // linear addresses go through the guest's tables: it maps its first 2 MiB only
        showTab("memory-tab");
        robot.clickOn("#memory-address").write("0x200000").type(KeyCode.ENTER);
        FxTests.waitUntil("the message", 10, () -> text("#memory-message").contains("not mapped"));
        assertThat(FxTests.onFx(() -> w.window.debugPanes().memory().dumpProperty().get())).isNull();
        // and CR3 shows the top page table, physical: PML4[0] points at the PDPT (0x9000; present, writable,
        // and accessed (0x20) once the CPU has walked it)
        FxTests.onFx(() -> w.window.debugPanes().memory().targetProperty().set(MemoryViewModel.TARGETS.stream()
                .filter(x -> x.name().equals("CR3")).findFirst().orElseThrow()));
        FxTests.waitUntil("the PML4", 10, () -> w.window.debugPanes().memory().dumpProperty().get() != null
                && w.window.debugPanes().memory().dumpProperty().get().line(0).matches("00008000  [02]3 90 00 00 .*"));
        assertThat(text("#memory-where")).startsWith("physical 0x8000 = CR3");
    }

    @Test
    void recordOnAndOffWritesATraceWithEveryExitOfTheRun(@TempDir Path dir) throws Exception {
        openHello();
        Path file = dir.resolve("hello-run.vmtrace");
        FxTests.onFx(() -> w.window.debugPanes().setRecordChooser(win -> file));
        assertThat(FxTests.onFx(() -> node("#record-button", ToggleButton.class).isDisabled())).isFalse();
        robot.clickOn("#record-button");
        FxTests.waitUntil("recording", 10, () -> {
            w.frame();
            return node("#record-button", ToggleButton.class).isSelected() && text("#record-label").contains("REC");
        });
        assertThat(text("#record-label")).contains("hello-run.vmtrace");
        continueAndWait(0);
        FxTests.waitUntil("the guest to finish", 20, () -> w.vm.session().state() == UiSession.State.FINISHED);
        robot.clickOn("#record-button");
        FxTests.waitUntil("the recording to close", 10, () -> {
            w.frame();
            return !node("#record-button", ToggleButton.class).isSelected()
                    && text("#record-label").startsWith("recorded");
        });
        long exits = FxTests.onFx(() -> w.vm.session().source().size());
        assertThat(text("#record-label")).contains(String.format("recorded %,d exits", exits));
        LoadedTrace t = TraceReader.open(file);
        assertThat(t.report().isClean()).as(t.report().summary()).isTrue();
        assertThat(t.source().size()).isEqualTo(exits);
        assertThat(t.source().console()).contains("Hello from real mode!");

        // recording a guest that has run restarts it (after asking), and records the new run from its start
        Path again = dir.resolve("again.vmtrace");
        FxTests.onFx(() -> {
            w.window.debugPanes().setRecordChooser(win -> again);
            w.window.debugPanes().setRestartConfirm(guest -> true);
        });
        UiSession old = FxTests.onFx(() -> w.vm.session());
        robot.clickOn("#record-button");
        FxTests.waitUntil("a new run, recording", 20, () -> {
            w.frame();
            return w.vm.session() != null && w.vm.session() != old
                    && w.vm.session().state() == UiSession.State.PAUSED
                    && node("#record-button", ToggleButton.class).isSelected();
        });
        assertThat(FxTests.onFx(() -> w.vm.session().source().size())).isZero();
        robot.clickOn("#timeline-canvas");
        robot.type(KeyCode.F10);
        robot.type(KeyCode.F10);
        FxTests.waitUntil("two steps", 10, () -> w.vm.session().source().size() == 2
                && w.vm.session().state() == UiSession.State.PAUSED);
        robot.clickOn("#record-button");
        FxTests.waitUntil("closed", 10, () -> {
            w.frame();
            return text("#record-label").startsWith("recorded 2 exits");
        });
        assertThat(TraceReader.open(again).source().size()).isEqualTo(2);
    }

    @Test
    void aTraceHasTheDebuggerPanesReadOnlyWithTheReason() throws Exception {
        w = WindowFixture.open();
        FxTests.onFx(() -> w.vm.openTrace(helloDir().resolve("hello.vmtrace")));
        FxTests.waitUntil("the trace", 20, () -> w.vm.session() != null && w.vm.session().source().size() > 0);
        assertThat(FxTests.onFx(() -> node("#bp-reason-IO", CheckBox.class).isDisabled())).isTrue();
        assertThat(FxTests.onFx(() -> node("#bp-address-field", TextField.class).isDisabled())).isTrue();
        assertThat(text("#bp-hint")).contains("live guest").contains("read-only");
        assertThat(FxTests.onFx(() -> node("#record-button", ToggleButton.class).isDisabled())).isTrue();
        // the trace kept the code: the disassembly of exit #0 marks the OUT behind it, though RIP is past it
        FxTests.onFx(() -> w.vm.selection().select(0));
        showTab("disassembly-tab");
        FxTests.waitUntil("the listing from the trace's code", 10, () -> {
            w.window.updater().frame();
            return w.window.debugPanes().disassembly().listingProperty().get() != null;
        });
        ListingText t = FxTests.onFx(() -> w.window.debugPanes().disassembly().listingProperty().get());
        long rip = FxTests.onFx(() -> w.vm.session().source().get(0).state().rip());
        byte[] img = helloImage();
        Disassembler.Insn expected = Disassembler.disassemble(
                Arrays.copyOfRange(img, (int) (rip - LOAD), img.length), rip, 16, 1).get(0);
        assertThat(t.line(t.current())).startsWith(ListingText.MARK).contains(String.format("%08x", rip - 1))
                .endsWith("out dx, al");
        assertThat(t.line(t.current() + 1)).contains(String.format("%08x", rip)).endsWith(expected.text());
        assertThat(text("#disassembly-message")).contains("as the trace kept it").contains("already past");
        // memory: RIP's page is in the trace (the image's bytes there); the stack's is not
        showTab("memory-tab");
        FxTests.waitUntil("the code page at RIP", 10, () -> {
            w.window.updater().frame();
            return w.window.debugPanes().memory().bytesProperty().get() != null;
        });
        GuestBytes b = FxTests.onFx(() -> w.window.debugPanes().memory().bytesProperty().get());
        assertThat(b.address()).isEqualTo(rip);
        assertThat(b.complete()).isTrue();
        assertThat(Arrays.copyOf(b.data(), 8)).isEqualTo(Arrays.copyOfRange(img, (int) (rip - LOAD),
                (int) (rip - LOAD) + 8));
        assertThat(text("#memory-where")).contains("code pages the trace kept");
    }
}
