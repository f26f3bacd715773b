package dev.vmscope.app.ui.memory;

import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.Lectures;
import dev.vmscope.app.ui.testing.WindowTest;
import javafx.scene.text.Text;
import org.fxmisc.richtext.StyleClassedTextArea;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The memory pane of a lecture at 1280×720 (the longmode tour's step 3 brings it up beside the registers): every
 * dump line, its ASCII column included, fits across the pane, so nothing of it needs scrolling sideways.
 */
class DumpFitTest extends WindowTest {
    @Test
    void asciiColumnInViewBesideTheRegisters() throws Exception {
        w = Lectures.replayAt("longmode", 1280, 720, 3);
        StyleClassedTextArea area = FxTests.onFx(() -> (StyleClassedTextArea) w.window.root().lookup("#memory-text"));
        FxTests.waitUntil("the dump of the step's memory", 30, () -> area.getLength() > 0 && area.lookup(".text") != null);
        try {   // the pane's width is known after a layout pass, and the dump is made anew for it
            FxTests.waitUntil("the dump fitted to the pane", 10, () -> widest(area) <= room(area));
        } catch (AssertionError ignored) {
            // reported with the widths below
        }
        String text = FxTests.onFx(() -> area.getText());
        for (String line : text.split("\n")) {
            assertThat(line).as("a dump line with its ASCII column").matches("[0-9a-f]{8}  .*\\|.*\\|");
        }
        assertThat(FxTests.onFx(() -> widest(area))).as("the widest line against the pane's width")
                .isLessThanOrEqualTo(FxTests.onFx(() -> room(area)));
    }

    /** The width of the dump's longest line in the type its text runs are drawn in. */
    private static double widest(StyleClassedTextArea area) {
        Text run = (Text) area.lookup(".text");
        double most = 0;
        for (String line : area.getText().split("\n")) {
            Text t = new Text(line);
            t.setFont(run.getFont());
            most = Math.max(most, t.getLayoutBounds().getWidth());
        }
        return most;
    }

    /**
     * The width of the area that is on screen: up to the nearest right edge of it or any pane holding it (a pane
     * wider than its tab is cut at the tab's edge), less a vertical scroll bar.
     */
    private static double room(StyleClassedTextArea area) {
        double left = area.localToScene(area.getLayoutBounds()).getMinX();
        double right = Double.MAX_VALUE;
        for (javafx.scene.Node n = area; n != null; n = n.getParent()) {
            right = Math.min(right, n.localToScene(n.getLayoutBounds()).getMaxX());
        }
        return right - left - bar(area);
    }

    private static double bar(StyleClassedTextArea area) {
        for (javafx.scene.Node n : area.getParent().getChildrenUnmodifiable()) {
            if (n instanceof javafx.scene.control.ScrollBar b && b.isVisible()
                    && b.getOrientation() == javafx.geometry.Orientation.VERTICAL) {
                return b.getWidth();
            }
        }
        return 0;
    }
}
