package dev.vmscope.app.ui.layout;

import dev.vmscope.app.ui.main.Samples;
import dev.vmscope.app.ui.session.UiSession;
import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.WindowFixture;
import dev.vmscope.app.ui.testing.WindowTest;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.TabPane;
import javafx.scene.control.TreeTableView;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default theme at 1600×1000, where the VMCS table and the bottom tabs compete for the same height: with the
 * tabs folded to their headers the VMCS table shows at least 15 rows; a click on the Disassembly header opens the
 * tabs to at least 12 lines of disassembly; Statistics then shows its charts with their axis titles inside the
 * pane; a click on the open tab's header folds them again and the VMCS table has its rows back.
 */
class DeskLayoutTest extends WindowTest {
    static final int VMCS_ROWS = 15;
    static final int DISASSEMBLY_LINES = 12;

    @Test
    void theVmcsTableAndTheBottomTabsShareTheHeight() throws Exception {
        w = WindowFixture.open(1600, 1000);
        FxTests.onFx(() -> w.vm.openTrace(Samples.directory().resolve("mbkernel").resolve("mbkernel.vmtrace")));
        FxTests.waitUntil("the trace", 30, () -> w.vm.session() != null
                && w.vm.session().state() == UiSession.State.REPLAY);
        FxTests.onFx(() -> w.vm.selection().select(100));
        FxTests.waitUntil("exit #100's VMCS fields", 20, () -> FxTests.onFx(() -> vmcs().getExpandedItemCount() > 30));
        w.frame();

        assertThat(FxTests.onFx(() -> tabs().getHeight())).as("folded tabs: their header row").isLessThan(60);
        assertThat(FxTests.onFx(this::vmcsRows)).as("VMCS rows in view, tabs folded")
                .isGreaterThanOrEqualTo(VMCS_ROWS);

        robot.clickOn(header("disassembly-tab"));
        FxTests.waitUntil("twelve lines of disassembly", 20, () -> FxTests.onFx(this::disassemblyLines)
                >= DISASSEMBLY_LINES);

        robot.clickOn(header("statistics-tab"));
        FxTests.waitUntil("charts with their axis titles in view", 20, () -> FxTests.onFx(this::axisTitlesShown));
        assertThat(FxTests.onFx(() -> tabs().getHeight())).as("still open").isGreaterThan(200);

        robot.clickOn(header("statistics-tab"));   // the open tab's header again: fold
        FxTests.waitUntil("folded again", 10, () -> FxTests.onFx(() -> tabs().getHeight()) < 60);
        w.frame();
        assertThat(FxTests.onFx(this::vmcsRows)).as("VMCS rows in view, tabs folded again")
                .isGreaterThanOrEqualTo(VMCS_ROWS);
    }

    private TreeTableView<?> vmcs() {
        return w.window.exitDetails().vmcs().tree();
    }

    /** The bottom tabs (the tab pane that holds the disassembly). */
    private TabPane tabs() {
        for (Node n : w.window.root().lookupAll(".tab-pane")) {
            if (n instanceof TabPane t && t.getTabs().stream().anyMatch(x -> "disassembly-tab".equals(x.getId()))) {
                return t;
            }
        }
        throw new AssertionError("no bottom tabs");
    }

    /** The header of the bottom tab {@code id} (what a user clicks). */
    private Node header(String id) {
        return FxTests.onFx(() -> {
            for (Node n : tabs().lookupAll(".tab")) {
                if (id.equals(n.getId())) {
                    return n;
                }
            }
            throw new AssertionError("no header for " + id);
        });
    }

    /** Whole rows the VMCS table's viewport has room for. */
    private int vmcsRows() {
        TreeTableView<?> t = vmcs();
        Node flow = t.lookup(".clipped-container");
        return (int) Math.floor(flow.getLayoutBounds().getHeight() / t.getFixedCellSize());
    }

    /** Lines of the disassembly listing in view. */
    private int disassemblyLines() {
        var area = (org.fxmisc.richtext.GenericStyledArea<?, ?, ?>) w.window.root().lookup(".disassembly-pane")
                .lookup(".styled-text-area");
        if (!PresenterLayout.shows(area) || area.getParagraphs().size() < DISASSEMBLY_LINES) {
            return 0;
        }
        int whole = 0;
        Bounds view = area.localToScreen(area.getLayoutBounds());
        for (int i = 0; i < area.getParagraphs().size(); i++) {
            var b = area.getParagraphBoundsOnScreen(i);
            if (b.isPresent() && b.get().getMinY() >= view.getMinY() - 0.5 && b.get().getMaxY() <= view.getMaxY() + 0.5) {
                whole++;
            }
        }
        return whole;
    }

    /** Every chart's axis titles show, inside the statistics pane. */
    private boolean axisTitlesShown() {
        Node pane = tabs().getSelectionModel().getSelectedItem().getContent();
        if (pane == null || !PresenterLayout.shows(pane)) {
            return false;
        }
        Bounds frame = pane.localToScene(pane.getLayoutBounds());
        int titles = 0;
        for (Node n : pane.lookupAll(".axis-label")) {
            if (n instanceof javafx.scene.control.Label l && l.getText() != null && !l.getText().isEmpty()
                    && PresenterLayout.shows(l)) {
                Bounds b = l.localToScene(l.getLayoutBounds());
                if (b.getHeight() < 1 || !frame.contains(b)) {
                    return false;
                }
                titles++;
            }
        }
        return titles >= 2;
    }
}
