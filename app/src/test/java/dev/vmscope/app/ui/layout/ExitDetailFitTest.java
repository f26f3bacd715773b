package dev.vmscope.app.ui.layout;

import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.Lectures;
import dev.vmscope.app.ui.testing.WindowTest;
import javafx.scene.Node;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.text.Text;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exit list of a lecture at 1280×720: every column, the decoded detail too, ends inside the pane (no sideways
 * scrolling to read a row); a detail longer than its column's room is cut and tells its whole text on hover.
 */
class ExitDetailFitTest extends WindowTest {
    @Test
    void detailCutToThePaneWithItsWholeTextOnHover() throws Exception {
        w = Lectures.replayAt("longmode", 1280, 720, 2);
        TableView<?> table = w.window.exitTable().table();
        try {   // columns are fitted after the layout pass that brought the step's rows
            FxTests.waitUntil("the columns inside the pane", 10,
                    () -> PresenterWalkthroughTest.clipped(table, true).isEmpty());
        } catch (AssertionError ignored) {
            // reported below
        }
        assertThat(FxTests.onFx(() -> PresenterWalkthroughTest.clipped(table, true))).as("columns past the pane")
                .isEmpty();
        List<String> cut = FxTests.onFx(() -> cutDetails(table));
        assertThat(cut).as("longmode's #DB details are longer than the room at 1280x720").isNotEmpty();
        assertThat(cut).as("cut details that do not tell their whole text on hover").allMatch(s -> s.isEmpty());
    }

    /** For every showing detail cell drawn cut short: "" when its tooltip says the whole text, else the text. */
    private static List<String> cutDetails(TableView<?> table) {
        List<String> out = new ArrayList<>();
        var last = table.getVisibleLeafColumns().get(table.getVisibleLeafColumns().size() - 1);
        for (Node n : table.lookupAll(".table-cell")) {
            if (n instanceof TableCell<?, ?> c && c.getTableColumn() == last && !c.isEmpty() && c.getText() != null) {
                for (Node k : c.getChildrenUnmodifiable()) {
                    if (k instanceof Text t && !t.getText().equals(c.getText())) {
                        boolean hover = c.getTooltip() != null && c.getText().equals(c.getTooltip().getText());
                        out.add(hover ? "" : c.getText());
                    }
                }
            }
        }
        return out;
    }
}
