package dev.vmscope.app.ui.main;

import dev.vmscope.app.ui.bench.IoloopTraces;
import dev.vmscope.app.ui.exits.ExitTableViewModel;
import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.WindowFixture;
import dev.vmscope.app.ui.testing.WindowTest;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollBar;
import javafx.scene.layout.Region;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stepping through exits repaints only what changed. With software rendering (no GPU) a pulse that changes
 * nothing visible — new nodes being styled a pulse late, a hidden bar moving — makes JavaFX repaint the whole
 * window, which doubled the cost of every selection (bench/run.sh ui). The two causes found are held off here: the
 * "Why this exit happened" pane keeps its labels from one exit to the next of the same kind (only their texts
 * change), and the paged exit list's own vertical bar, hidden behind the bar for the whole list, paints nothing.
 */
class SelectionRepaintTest extends WindowTest {
    @TempDir
    Path dir;

    @Test
    void theExplanationKeepsItsLabelsAndOnlyTheirTextsChange() throws Exception {
        w = WindowFixture.open();
        Path file = IoloopTraces.get(ExitTableViewModel.PAGE * 2L, dir);
        FxTests.onFx(() -> w.vm.openTrace(file));
        FxTests.waitUntil("the trace", 20, () -> w.vm.session() != null && w.vm.selection().seq() == 0
                && w.vm.openProgressProperty().get() < 0);
        select(100);
        List<Label> before = FxTests.onFx(() -> labels(body()));
        assertThat(before).hasSizeGreaterThan(5);

        select(5000);   // another OUT to port 0x80: the same explanation, other values
        List<Label> after = FxTests.onFx(() -> labels(body()));
        assertThat(after).hasSameSizeAs(before);
        for (int i = 0; i < after.size(); i++) {
            assertThat(after.get(i)).as("label %d kept", i).isSameAs(before.get(i));
        }
        String text = FxTests.onFx(() -> w.window.exitDetails().explanation().text());
        assertThat(text).contains("Exit #5000 ").doesNotContain("Exit #100 ");
    }

    @Test
    void thePagedListsOwnBarPaintsNothing() throws Exception {
        w = WindowFixture.open();
        Path file = IoloopTraces.get(ExitTableViewModel.PAGE * 2L, dir);
        FxTests.onFx(() -> w.vm.openTrace(file));
        FxTests.waitUntil("the list paged", 20, () -> w.vm.session() != null
                && w.window.exitTable().table().getStyleClass().contains("paged"));
        select(3000);
        List<String> painted = FxTests.onFx(() -> {
            List<String> out = new ArrayList<>();
            for (Node n : w.window.exitTable().table().lookupAll(".virtual-flow > .scroll-bar")) {
                if (n instanceof ScrollBar b && b.getOrientation() == javafx.geometry.Orientation.VERTICAL) {
                    paints(b, out);
                }
            }
            return out;
        });
        assertThat(painted).isEmpty();
    }

    private void select(long seq) {
        FxTests.onFx(() -> w.vm.selection().select(seq));
        FxTests.waitUntil("exit #" + seq + " explained", 20, () -> {
            var d = w.window.exitDetails().model().details();
            return d != null && d.seq() == seq && !d.pending()
                    && w.window.exitDetails().explanation().text().contains("Exit #" + seq + " ");
        });
        w.frame();
    }

    private Parent body() {
        return (Parent) w.window.root().lookup("#explanation-body");
    }

    private static List<Label> labels(Parent p) {
        List<Label> out = new ArrayList<>();
        for (Node n : p.getChildrenUnmodifiable()) {
            if (n instanceof Label l) {
                out.add(l);
            } else if (n instanceof Parent c) {
                out.addAll(labels(c));
            }
        }
        return out;
    }

    /** Regions under {@code n} (itself included) that fill a background or draw a border. */
    private static void paints(Node n, List<String> out) {
        if (n instanceof Region r && ((r.getBackground() != null && !r.getBackground().isEmpty())
                || (r.getBorder() != null && !r.getBorder().isEmpty()))) {
            out.add(r.getClass().getSimpleName() + " " + r.getStyleClass());
        }
        if (n instanceof Parent p) {
            for (Node c : p.getChildrenUnmodifiable()) {
                paints(c, out);
            }
        }
    }
}
