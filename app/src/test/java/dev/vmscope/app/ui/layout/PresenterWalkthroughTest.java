package dev.vmscope.app.ui.layout;

import dev.vmscope.app.ui.Theme;
import dev.vmscope.app.ui.main.Samples;
import dev.vmscope.app.ui.session.UiSession;
import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.Guests;
import dev.vmscope.app.ui.testing.WindowFixture;
import dev.vmscope.app.ui.testing.WindowTest;
import dev.vmscope.app.ui.walkthrough.WalkthroughViewModel;
import dev.vmscope.engine.machine.GuestSpec;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Labeled;
import javafx.scene.input.KeyCode;
import javafx.scene.text.Text;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lecture at projector sizes: the presenter theme with the walkthrough open, every step of three walkthroughs
 * stepped with PageDown while the exit list has the focus, live and in replay. At every step no label, button or
 * table cell in the window is cut to an ellipsis, the Next button is inside the window and the exit the step
 * stopped at is selected (in replay: where the step stops in the trace).
 */
class PresenterWalkthroughTest extends WindowTest {
    private static final Pattern STOPPED = Pattern.compile("at exit #(\\d+)");

    @ParameterizedTest(name = "{0} live at {1}x{2}")
    @CsvSource({"smp,1280,720", "longmode,1280,720", "mbkernel,1280,720", "smp,1920,1080", "longmode,1920,1080",
            "mbkernel,1920,1080"})
    void everyStepLive(String sample, int width, int height) throws Exception {
        Guests.requireKvm();
        w = WindowFixture.open(width, height);
        FxTests.onFx(() -> w.vm.themeProperty().set(Theme.PRESENTER));
        FxTests.onFx(() -> w.vm.openGuest(GuestSpec.resolve(Samples.directory().resolve(sample)).build()));
        FxTests.waitUntil(sample + " paused at its start", 30,
                () -> w.vm.session() != null && w.vm.session().state() == UiSession.State.PAUSED);
        walk(sample);
    }

    @ParameterizedTest(name = "{0} replay at {1}x{2}")
    @CsvSource({"smp,1280,720", "longmode,1280,720", "mbkernel,1280,720", "smp,1920,1080", "longmode,1920,1080",
            "mbkernel,1920,1080"})
    void everyStepInReplay(String sample, int width, int height) throws Exception {
        w = WindowFixture.open(width, height);
        FxTests.onFx(() -> {
            w.vm.themeProperty().set(Theme.PRESENTER);
            w.vm.bannerProperty().set("Replay mode: KVM is not available (a banner as long as the real one, which"
                    + " wraps over two or three lines at these sizes). Live guests need /dev/kvm; double-click a"
                    + " sample to browse its recorded trace, or File ▸ Open trace.");
            w.vm.openTrace(Samples.directory().resolve(sample).resolve(sample + ".vmtrace"));
        });
        FxTests.waitUntil(sample + " trace open", 30,
                () -> w.vm.session() != null && w.vm.session().state() == UiSession.State.REPLAY);
        walk(sample);
    }

    private void walk(String sample) {
        WalkthroughViewModel m = w.window.walkthrough().model();
        FxTests.waitUntil("the walkthrough of " + sample, 20, () -> m.walkthrough() != null
                && w.window.walkthrough().isShowing());
        int steps = FxTests.onFx(() -> m.steps().size());
        for (int i = 0; i < steps; i++) {
            int step = i;
            FxTests.onFx(() -> w.window.exitTable().table().requestFocus());
            robot.type(KeyCode.PAGE_DOWN);
            FxTests.waitUntil("step " + (i + 1) + " of " + sample, 60,
                    () -> m.index() == step && !m.busyProperty().get());
            FxTests.waitUntil("step " + (i + 1) + "'s exit selected", 10, () -> selectedIsStop(m));
            w.frame();
            // columns are fitted after the layout pass that brought new cell texts: wait for that pass
            try {
                FxTests.waitUntil("whole labels", 5, () -> truncated(w.window.root()).isEmpty());
            } catch (AssertionError ignored) {
                // reported with the labels below
            }
            List<String> cut = FxTests.onFx(() -> truncated(w.window.root()));
            assertThat(cut).as("%s step %d: labels cut short", sample, step + 1).isEmpty();
            assertThat(FxTests.onFx(() -> inWindow(nextButton()))).as("%s step %d: Next step inside the window",
                    sample, step + 1).isTrue();
        }
    }

    /** The note names the exit the step stopped at, and that exit is the selection (START: none named). */
    private boolean selectedIsStop(WalkthroughViewModel m) {
        return FxTests.onFx(() -> {
            Matcher x = STOPPED.matcher(m.noteProperty().get());
            if (!x.find()) {
                return true;
            }
            return w.vm.selection().seq() == Long.parseLong(x.group(1));
        });
    }

    private Button nextButton() {
        return (Button) w.window.root().lookup("#walkthrough-next");
    }

    private boolean inWindow(Node n) {
        Bounds b = n.localToScene(n.getLayoutBounds());
        var scene = n.getScene();
        return PresenterLayout.shows(n) && b.getMinX() >= 0 && b.getMinY() >= 0 && b.getMaxX() <= scene.getWidth() + 0.5
                && b.getMaxY() <= scene.getHeight() + 0.5;
    }

    /** Every showing Labeled whose drawn text is not its whole text ("…"), as "text → shown". */
    static List<String> truncated(Parent root) {
        List<String> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(Node n, List<String> out) {
        if (!n.isVisible()) {
            return;
        }
        if (n instanceof Labeled l && l.getText() != null && !l.getText().isEmpty() && l.getWidth() > 0) {
            String want = l.isMnemonicParsing() ? l.getText().replace("_", "") : l.getText();
            for (Node c : l.getChildrenUnmodifiable()) {
                if (c instanceof Text t && !(t.getText().equals(want))) {
                    out.add(l.getClass().getSimpleName() + " '" + want + "' shows '" + t.getText() + "'");
                }
            }
        }
        if (n instanceof Parent p) {
            for (Node c : p.getChildrenUnmodifiable()) {
                collect(c, out);
            }
        }
    }
}
