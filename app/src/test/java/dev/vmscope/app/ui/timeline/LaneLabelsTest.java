package dev.vmscope.app.ui.timeline;

import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.Lectures;
import dev.vmscope.app.ui.testing.WindowTest;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lane labels of a lecture at 1280×720 (the presenter theme's type on the shortest lanes it gets): in the
 * canvas as drawn, every lane's label column holds two separate lines of text, "vCPU N" above "kernel", with a
 * text-free pixel row between them and both inside the lane.
 */
class LaneLabelsTest extends WindowTest {
    /** A pixel this bright is the presenter theme's white text (the lanes are near black). */
    private static final double INK = 0.5;

    @ParameterizedTest(name = "{0} step {1}")
    @CsvSource({"msr,3", "smp,2", "longmode,3"})
    void vcpuAndKernelLabelsDoNotOverlap(String sample, int step) throws Exception {
        w = Lectures.replayAt(sample, 1280, 720, step);
        TimelineView view = w.window.timeline();
        FxTests.waitUntil("kernel sub-lanes", 30, () -> w.vm.timeline().kernel() != null);
        FxTests.onFx(view::redrawNow);
        TimelineRenderer.Layout lay = FxTests.onFx(view::layout);
        WritableImage shot = FxTests.onFx(() -> view.canvas().snapshot(null, null));
        for (int v = 0; v < lay.lanes(); v++) {
            int top = (int) Math.ceil(lay.lanesTop() + v * lay.laneHeight());
            int bottom = (int) Math.floor(lay.lanesTop() + (v + 1) * lay.laneHeight());
            List<String> lines = inkRuns(shot.getPixelReader(), top, bottom, (int) lay.labelWidth() - 4);
            assertThat(lines).as("%s: lines of text left of lane %d (rows %d..%d, lane %.1f px high)", sample, v, top,
                    bottom, lay.laneHeight()).hasSize(2);
        }
    }

    /** The runs of rows in {@code top..bottom} (exclusive) that hold text in the columns left of {@code width}. */
    private static List<String> inkRuns(PixelReader px, int top, int bottom, int width) {
        List<String> runs = new ArrayList<>();
        int start = -1;
        for (int y = top; y <= bottom; y++) {
            boolean ink = false;
            for (int x = 0; x < width && y < bottom && !ink; x++) {
                ink = px.getColor(x, y).getBrightness() > INK;
            }
            if (ink && start < 0) {
                start = y;
            } else if (!ink && start >= 0) {
                runs.add("rows " + start + ".." + y);
                start = -1;
            }
        }
        return runs;
    }
}
