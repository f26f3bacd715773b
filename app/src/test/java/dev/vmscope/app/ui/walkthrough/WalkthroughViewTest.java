package dev.vmscope.app.ui.walkthrough;

import dev.vmscope.app.ui.ExitSelection;
import dev.vmscope.app.ui.Theme;
import dev.vmscope.app.ui.main.Samples;
import dev.vmscope.app.ui.session.LiveSession;
import dev.vmscope.app.ui.session.UiSession;
import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.Guests;
import dev.vmscope.app.ui.testing.WindowFixture;
import dev.vmscope.app.ui.testing.WindowTest;
import dev.vmscope.engine.debug.SessionState;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.trace.ExitSource;
import dev.vmscope.engine.walkthrough.Walkthrough;
import javafx.css.PseudoClass;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The walkthrough panel in the real window: hello live on /dev/kvm, and its recorded trace without running. */
class WalkthroughViewTest extends WindowTest {
    private static final long[] HELLO_STOPS = {ExitSelection.NONE, 0, 21, 22};
    private static final PseudoClass CURRENT = PseudoClass.getPseudoClass("current");

    private WalkthroughView panel() {
        return FxTests.onFx(() -> w.window.walkthrough());
    }

    private String text(String id) {
        return FxTests.onFx(() -> robot.lookup(id).queryAs(Label.class).getText());
    }

    private int currentLabel(WalkthroughView p) {
        return FxTests.onFx(() -> {
            var ls = p.stepLabels();
            for (int i = 0; i < ls.size(); i++) {
                if (ls.get(i).getPseudoClassStates().contains(CURRENT)) {
                    return i;
                }
            }
            return -1;
        });
    }

    private long tableSelectedSeq() {
        return FxTests.onFx(() -> {
            var item = w.window.exitTable().table().getSelectionModel().getSelectedItem();
            return item == null ? -1L : item.seq();
        });
    }

    private void clickNextAndWait(WalkthroughView p, int expectedIndex) {
        robot.clickOn("#walkthrough-next");
        waitStep(p, expectedIndex);
    }

    private void waitStep(WalkthroughView p, int expectedIndex) {
        FxTests.waitUntil("step " + (expectedIndex + 1), 40, () -> p.model().index() == expectedIndex
                && !p.model().busyProperty().get());
        w.frame();
    }

    @Test
    void nextRunsHelloToEachExitItTalksAboutAndSelectsIt() throws Exception {
        Guests.requireKvm();
        Path hello = Samples.directory().resolve("hello");
        Walkthrough wt = Walkthrough.load(hello).orElseThrow();
        w = WindowFixture.open();
        WalkthroughView p = panel();
        FxTests.onFx(() -> w.vm.openGuest(GuestSpec.resolve(hello).build()));
        FxTests.waitUntil("hello paused with its walkthrough", 20, () -> w.vm.session() instanceof LiveSession
                && w.vm.session().state() == UiSession.State.PAUSED && p.model().walkthrough() != null);
        assertThat(FxTests.onFx(p::isShowing)).isFalse();

        // View ▸ Walkthrough (its accelerator) docks the panel beside the window
        robot.clickOn("#timeline-canvas");
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.W).release(KeyCode.W, KeyCode.SHIFT, KeyCode.CONTROL);
        FxTests.waitUntil("the panel", 5, () -> p.isShowing() && p.root().getScene() != null);
        assertThat(text("#walkthrough-title")).isEqualTo(wt.title());
        assertThat(FxTests.onFx(() -> p.stepLabels().size())).isEqualTo(4);
        assertThat(text("#walkthrough-step-text")).contains("Next step");
        assertThat(currentLabel(p)).isEqualTo(-1);

        // Next twice: before the first instruction, then the first OUT to the UART ('H')
        clickNextAndWait(p, 0);
        assertThat(text("#walkthrough-note")).isEqualTo("Paused before the first instruction.");
        clickNextAndWait(p, 1);
        Walkthrough.Step s2 = wt.steps().get(1);
        assertThat(text("#walkthrough-step-title")).isEqualTo(s2.title());
        assertThat(text("#walkthrough-step-text")).isEqualTo(s2.text());
        assertThat(text("#walkthrough-position")).isEqualTo("Step 2 of 4");
        assertThat(currentLabel(p)).isEqualTo(1);
        LiveSession live = (LiveSession) FxTests.onFx(() -> w.vm.session());
        SessionState st = live.debugState();
        assertThat(st.mode()).isEqualTo(SessionState.Mode.PAUSED);
        assertThat(st.reason()).isEqualTo(SessionState.StopReason.BREAKPOINT);
        assertThat(text("#walkthrough-note")).startsWith("Stopped at exit #" + st.seq());
        ExitSource src = live.source();
        KvmExit.Io io = (KvmExit.Io) src.get(st.seq()).exit();
        assertThat(io.out()).isTrue();
        assertThat(io.port()).isEqualTo(0x3F8);
        assertThat(io.value()).isEqualTo('H');
        assertThat(outsTo3f8(src, st.seq())).isEqualTo(1);
        FxTests.waitUntil("the selection", 5, () -> w.vm.selection().seq() == st.seq());
        FxTests.waitUntil("the exit list", 5, () -> tableSelectedSeq() == st.seq());
        String detail = FxTests.onFx(() -> w.window.exitTable().table().getSelectionModel().getSelectedItem().detail());
        assertThat(detail).startsWith("out 0x3f8 size 1 = 0x48");
        assertThat(FxTests.onFx(() -> w.window.registers().title().getText())).contains("exit #" + st.seq());
        assertThat(FxTests.onFx(() -> w.vm.registers().row("RAX").value()) & 0xFF).isEqualTo(0x48);

        // Next from the keyboard: the 22nd OUT, the newline
        robot.clickOn("#timeline-canvas");
        robot.press(KeyCode.CONTROL, KeyCode.PAGE_DOWN).release(KeyCode.PAGE_DOWN, KeyCode.CONTROL);
        waitStep(p, 2);
        SessionState st3 = live.debugState();
        assertThat(wt.steps().get(2).reached(st3)).isTrue();
        KvmExit.Io nl = (KvmExit.Io) src.get(st3.seq()).exit();
        assertThat(nl.value()).isEqualTo(0x0A);
        assertThat(outsTo3f8(src, st3.seq())).isEqualTo(22);
        FxTests.waitUntil("the exit list on the newline", 5, () -> w.vm.selection().seq() == st3.seq()
                && tableSelectedSeq() == st3.seq());
        assertThat(FxTests.onFx(() -> w.window.exitTable().table().getSelectionModel().getSelectedItem().detail()))
                .startsWith("out 0x3f8 size 1 = 0xa");
        assertThat(text("#walkthrough-step-title")).isEqualTo(wt.steps().get(2).title());

        // the last step finishes the run; Next is done
        clickNextAndWait(p, 3);
        FxTests.waitUntil("the run to finish", 10, () -> w.vm.session().state() == UiSession.State.FINISHED);
        assertThat(text("#walkthrough-note")).startsWith("The run is over: HALTED");
        assertThat(robot.lookup("#walkthrough-next").queryButton().isDisabled()).isTrue();
        FxTests.waitUntil("the last exit selected", 5, () -> w.vm.selection().seq() == src.size() - 1);
        assertThat(FxTests.onFx(() -> src.get(w.vm.selection().seq()).reason()))
                .isEqualTo(dev.vmscope.engine.exit.KvmExitReason.HLT);

        // Restart walkthrough: a fresh guest at its first instruction, the walkthrough from the top
        robot.clickOn("#walkthrough-restart");
        FxTests.waitUntil("a new run", 20, () -> w.vm.session() != live && w.vm.session() instanceof LiveSession
                && w.vm.session().state() == UiSession.State.PAUSED && p.model().walkthrough() != null);
        assertThat(FxTests.onFx(() -> p.model().index())).isEqualTo(-1);
        assertThat(FxTests.onFx(() -> w.vm.session().source().size())).isZero();
        clickNextAndWait(p, 0);
        clickNextAndWait(p, 1);
        FxTests.waitUntil("the first OUT again", 5, () -> w.vm.selection().seq() >= 0
                && tableSelectedSeq() == w.vm.selection().seq());
    }

    /** How many OUTs to 0x3F8 the run made up to and including exit {@code seq}. */
    private static int outsTo3f8(ExitSource src, long seq) {
        int n = 0;
        for (long i = 0; i <= seq; i++) {
            ExitRecord r = src.get(i);
            if (r.exit() instanceof KvmExit.Io io && io.out() && io.port() == 0x3F8) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aReplayShowsTheTextsStepByStepAndThePresenterThemeOpensIt() throws Exception {
        // hello's walkthrough: start (no exit), the first OUT, the 21st OUT after it, the end (its HLT)
        Path hello = Samples.directory().resolve("hello");
        Walkthrough wt = Walkthrough.load(hello).orElseThrow();
        w = WindowFixture.open();
        WalkthroughView p = panel();
        FxTests.onFx(() -> w.vm.openTrace(hello.resolve("hello.vmtrace")));
        FxTests.waitUntil("the trace and its walkthrough", 20, () -> w.vm.session() != null
                && w.vm.session().state() == UiSession.State.REPLAY && p.model().walkthrough() != null);
        assertThat(FxTests.onFx(p::isShowing)).isFalse();

        // the presenter theme opens the walkthrough by itself, in the large type
        double before = FxTests.onFx(() -> robot.lookup("#status-label").queryAs(Label.class).getFont().getSize());
        robot.clickOn("#presenter-button");
        FxTests.waitUntil("the panel", 5, () -> p.isShowing() && w.vm.themeProperty().get() == Theme.PRESENTER);
        FxTests.waitUntil("large type in the panel", 5, () -> {
            w.stage.getScene().getRoot().applyCss();
            Label t = robot.lookup("#walkthrough-step-text").queryAs(Label.class);
            return t.getFont().getSize() > before * 1.4;   // the presenter theme's type (the window's height / 46)
        });
        assertThat(text("#walkthrough-note")).isEqualTo(WalkthroughViewModel.REPLAY_NOTE);

        for (int i = 0; i < wt.steps().size(); i++) {
            robot.clickOn("#walkthrough-next");
            int k = i;
            FxTests.waitUntil("step " + (i + 1), 5, () -> p.model().index() == k);
            assertThat(text("#walkthrough-step-title")).isEqualTo(wt.steps().get(i).title());
            assertThat(text("#walkthrough-step-text")).isEqualTo(wt.steps().get(i).text());
            assertThat(currentLabel(p)).isEqualTo(i);
            // each step selects the exit it stops at in the trace, as the live run would
            long want = HELLO_STOPS[i];
            FxTests.waitUntil("step " + (i + 1) + "'s exit selected", 10, () -> !p.model().busyProperty().get()
                    && w.vm.selection().seq() == want);
            assertThat(text("#walkthrough-note")).startsWith("In the trace:");
        }
        assertThat(robot.lookup("#walkthrough-next").queryButton().isDisabled()).isTrue();
        assertThat(FxTests.onFx(() -> w.vm.session().state())).isEqualTo(UiSession.State.REPLAY);

        robot.clickOn("#walkthrough-restart");
        FxTests.waitUntil("the top", 5, () -> p.model().index() == -1);
        robot.clickOn("#walkthrough-close");
        FxTests.waitUntil("hidden", 5, () -> !p.isShowing());
        robot.clickOn("#presenter-button");   // back to the default theme for the next test's window
    }
}
