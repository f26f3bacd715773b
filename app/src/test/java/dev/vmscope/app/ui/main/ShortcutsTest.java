package dev.vmscope.app.ui.main;

import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.WindowFixture;
import dev.vmscope.app.ui.testing.WindowTest;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.GridPane;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * F1 shows every key: each menu accelerator is in the table, and the exit list's own keys (arrows, Page Up/Down,
 * Home/End, Esc in the filter), keys in one column and what they do beside them.
 */
class ShortcutsTest extends WindowTest {
    @Test
    void f1ListsEveryMenuAcceleratorInAnAlignedTable() throws Exception {
        w = WindowFixture.open();
        robot.type(KeyCode.F1);
        FxTests.waitUntil("the shortcuts table", 10, () -> robot.lookup("#shortcuts-table").tryQuery().isPresent());
        GridPane g = robot.lookup("#shortcuts-table").queryAs(GridPane.class);
        List<String> keys = FxTests.onFx(() -> {
            List<String> out = new ArrayList<>();
            g.getChildren().forEach(n -> {
                if (n instanceof Label l && GridPane.getColumnIndex(n) != null && GridPane.getColumnIndex(n) == 0
                        && (GridPane.getColumnSpan(n) == null || GridPane.getColumnSpan(n) == 1)) {
                    out.add(l.getText());
                }
            });
            return out;
        });
        List<String> accelerators = FxTests.onFx(() -> {
            List<String> out = new ArrayList<>();
            MenuBar bar = (MenuBar) w.window.root().lookup(".menu-bar");
            for (Menu m : bar.getMenus()) {
                collect(m, out);
            }
            return out;
        });
        assertThat(accelerators).hasSizeGreaterThan(15);
        for (String a : accelerators) {
            assertThat(keys).as("the table lists %s", a).anyMatch(k -> k.equals(a) || k.startsWith(a + "  ")
                    || k.endsWith("  " + a));
        }
        // the exit list's own keys, which no menu carries
        for (String k : List.of("Home  End", "Page Up  Page Down", "Esc", "↑ ↓")) {
            assertThat(keys).as("the table lists %s", k).contains(k);
        }
        // aligned: every action starts at the same x
        List<Double> xs = FxTests.onFx(() -> g.getChildren().stream()
                .filter(n -> GridPane.getColumnIndex(n) != null && GridPane.getColumnIndex(n) == 1)
                .map(n -> n.getBoundsInParent().getMinX()).distinct().toList());
        assertThat(xs).hasSize(1);
        FxTests.onFx(() -> g.getScene().getWindow().hide());
    }

    private static void collect(Menu m, List<String> out) {
        for (MenuItem i : m.getItems()) {
            if (i instanceof Menu sub) {
                collect(sub, out);
            } else if (i.getAccelerator() != null) {
                out.add(i.getAccelerator().getDisplayText());
            }
        }
    }
}
