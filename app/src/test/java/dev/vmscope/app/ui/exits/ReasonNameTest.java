package dev.vmscope.app.ui.exits;

import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.Lectures;
import dev.vmscope.app.ui.testing.WindowTest;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.image.PixelReader;
import javafx.scene.text.Text;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reason name with an underscore reads the same in the exit list as in the legend: at 1280×720 in the presenter
 * theme (the msr tour's WRMSR step) the underscore of {@code X86_RDMSR} is drawn in its row, where a cut-off
 * underscore leaves a gap that reads "X86 RDMSR".
 */
class ReasonNameTest extends WindowTest {
    private static final String NAME = "X86_RDMSR";

    @Test
    void underscoreDrawnInTheExitList() throws Exception {
        w = Lectures.replayAt("msr", 1280, 720, 3);
        FxTests.waitUntil(NAME + " in the legend and the list", 30, () -> legend() != null && drawnName() != null);
        assertThat(FxTests.onFx(() -> legend().getText())).isEqualTo(NAME);
        Text t = FxTests.onFx(this::drawnName);
        // the underscore's columns: after "X86", before "RDMSR", on the line the name is drawn on
        double[] at = FxTests.onFx(() -> {
            Bounds b = t.localToScene(t.getLayoutBounds());
            return new double[] {b.getMinX() + width(t, "X86"), b.getMinX() + width(t, "X86_"), b.getMinY(),
                    b.getMaxY() + 2};
        });
        PixelReader px = FxTests.onFx(() -> w.window.root().snapshot(null, null).getPixelReader());
        boolean inked = false;
        for (int x = (int) Math.ceil(at[0]) + 1; x < (int) at[1] - 1; x++) {
            for (int y = (int) at[2]; y <= (int) at[3]; y++) {
                // the text is light on the presenter's black (the row is not the selected one)
                inked |= px.getColor(x, y).getBrightness() > 0.5;
            }
        }
        assertThat(inked).as("an underscore drawn between X86 and RDMSR (x %.0f..%.0f, y %.0f..%.0f)", at[0], at[1],
                at[2], at[3]).isTrue();
    }

    /** The legend's label of the reason. */
    private Label legend() {
        for (Node n : w.window.root().lookupAll(".legend-item")) {
            if (n instanceof Label l && NAME.equals(l.getText())) {
                return l;
            }
        }
        return null;
    }

    /** The Text that draws the reason in a showing exit-list cell (whatever the cell draws it with). */
    private Text drawnName() {
        for (Node n : w.window.exitTable().table().lookupAll(".table-cell")) {
            if (n instanceof TableCell<?, ?> c && c.isVisible() && !c.isEmpty() && NAME.equals(c.getText())) {
                List<Text> texts = new ArrayList<>();
                collect(c, texts);
                return texts.stream().filter(t -> NAME.equals(t.getText()) && t.isVisible()).findFirst().orElse(null);
            }
        }
        return null;
    }

    private static void collect(Node n, List<Text> out) {
        if (n instanceof Text t) {
            out.add(t);
        }
        if (n instanceof Parent p) {
            for (Node c : p.getChildrenUnmodifiable()) {
                collect(c, out);
            }
        }
    }

    private static double width(Text like, String s) {
        Text t = new Text(s);
        t.setFont(like.getFont());
        return t.getLayoutBounds().getWidth();
    }
}
