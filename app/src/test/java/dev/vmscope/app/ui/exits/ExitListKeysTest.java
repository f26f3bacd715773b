package dev.vmscope.app.ui.exits;

import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.SyntheticExits;
import dev.vmscope.app.ui.testing.WindowFixture;
import dev.vmscope.app.ui.testing.WindowTest;
import dev.vmscope.engine.trace.ExitStore;
import javafx.scene.control.TableRow;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exit list's keys on a list longer than the page the table holds: they move through the whole list (past
 * the page's end, to its very first and last exit), and every move is the shared selection's.
 */
class ExitListKeysTest extends WindowTest {
    private static final int N = 300_000;

    private long listed() {
        return FxTests.onFx(() -> {
            var item = w.window.exitTable().table().getSelectionModel().getSelectedItem();
            return item == null ? -1L : item.seq();
        });
    }

    private long selected() {
        return FxTests.onFx(() -> w.vm.selection().seq());
    }

    private void press(KeyCode key, long expected) {
        robot.type(key);
        FxTests.waitUntil(key + " to select #" + expected, 20, () -> selected() == expected && listed() == expected);
    }

    @Test
    void arrowsPagesHomeAndEndCrossThePageAndReachBothEnds() throws Exception {
        ExitStore store = SyntheticExits.fill(N, 2, 1_000, 5);
        w = WindowFixture.open();
        FxTests.onFx(() -> w.vm.openReplay(store, "keys"));
        w.frame();
        assertThat(FxTests.onFx(() -> w.vm.exits().rowCount())).isEqualTo(N);
        FxTests.waitUntil("the first rows laid out", 20, () -> robot.lookup(".table-row-cell")
                .match(n -> n instanceof TableRow<?> r && r.getIndex() == 2 && !r.isEmpty()).tryQuery().isPresent());
        robot.clickOn(robot.lookup(".table-row-cell")
                .match(n -> n instanceof TableRow<?> r && r.getIndex() == 2).<TableRow<?>>query());
        FxTests.waitUntil("the clicked row selected", 20, () -> selected() == 2 && listed() == 2);

        press(KeyCode.END, N - 1);
        press(KeyCode.HOME, 0);
        press(KeyCode.DOWN, 1);
        press(KeyCode.UP, 0);

        // near the end of the first page (as the timeline would select it), then page down past that end
        long start = ExitTableViewModel.PAGE - ExitTableViewModel.PAGE_MARGIN - 10;
        FxTests.onFx(() -> w.vm.selection().select(start));
        FxTests.waitUntil("the list to follow", 20, () -> listed() == start);
        assertThat(FxTests.onFx(() -> w.vm.exits().pageStart())).as("still the first page").isZero();
        long at = start;
        long step = -1;
        for (int i = 0; i < 200 && at <= ExitTableViewModel.PAGE + 50; i++) {
            long before = at;
            robot.type(KeyCode.PAGE_DOWN);
            FxTests.waitUntil("PageDown from #" + before, 20, () -> selected() > before && listed() == selected());
            at = selected();
            if (step < 0) {
                step = at - before;
            }
            assertThat(at - before).as("each PageDown moves a screenful").isEqualTo(step);
        }
        assertThat(at).as("past the first page").isGreaterThan(ExitTableViewModel.PAGE);
        assertThat(FxTests.onFx(() -> w.vm.exits().pageStart())).as("the page moved on").isPositive();
        robot.type(KeyCode.PAGE_UP);
        long back = at - step;
        FxTests.waitUntil("PageUp back one screenful", 20, () -> selected() == back && listed() == back);
        press(KeyCode.END, N - 1);
    }
}
