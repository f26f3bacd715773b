package dev.vmscope.app.ui.timeline;

import dev.vmscope.app.ui.console.ConsoleView;
import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.SyntheticExits;
import dev.vmscope.app.ui.testing.WindowFixture;
import dev.vmscope.app.ui.testing.WindowTest;
import dev.vmscope.engine.trace.BreakpointHit;
import dev.vmscope.engine.trace.ExitStore;
import javafx.geometry.Point2D;
import javafx.scene.canvas.Canvas;
import javafx.scene.image.WritableImage;
import javafx.scene.input.PickResult;
import javafx.scene.input.ScrollEvent;
import javafx.scene.paint.Color;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/**
 * The timeline as a user drives it in the real window: breakpoint hits drawn where they happened, the wheel
 * zooming around the pointer, a click in the minimap moving the view; and the console's bound.
 */
class TimelineInteractionTest extends WindowTest {
    private ExitStore store;

    private void openSynthetic() throws Exception {
        store = SyntheticExits.fill(20_000, 2, 1_000, 9);
        store.addHit(new BreakpointHit(5_000, 1, "exit IO port=0x3f8"));
        store.addHit(new BreakpointHit(15_000, 2, "exit MMIO"));
        w = WindowFixture.open();
        FxTests.onFx(() -> w.vm.openReplay(store, "synthetic"));
        FxTests.waitUntil("the timeline laid out", 10, () -> {
            w.window.updater().frame();
            return w.window.timeline().layout() != null;
        });
    }

    private TimelineViewModel timeline() {
        return w.vm.timeline();
    }

    @Test
    void breakpointHitsAreMarkedOnTheirVcpusLaneAtTheirTime() throws Exception {
        openSynthetic();
        FxTests.onFx(() -> w.vm.selection().clear());
        w.frame();
        Canvas canvas = w.window.timeline().canvas();
        TimelineRenderer.Layout lay = FxTests.onFx(() -> w.window.timeline().layout());
        WritableImage img = FxTests.onFx(() -> canvas.snapshot(null, null));
        Color mark = TimelineStyle.DEFAULT.breakpoint();
        for (BreakpointHit h : store.breakpointHits()) {
            double x = lay.labelWidth() + FxTests.onFx(() -> timeline().xOf(store.columns().timeNs(h.seq())));
            int lane = store.columns().vcpu(h.seq());
            double y = lay.lanesTop() + lane * lay.laneHeight() + 5 * TimelineStyle.DEFAULT.fontScale() + 1;
            Color c = img.getPixelReader().getColor((int) Math.round(x), (int) Math.round(y));
            assertThat(distance(c, mark)).as("hit at exit #%d, pixel (%.0f, %.0f) is %s", h.seq(), x, y, c)
                    .isLessThan(0.15);
        }
        assertThat(FxTests.onFx(() -> timeline().hits())).hasSize(2);
    }

    @Test
    void theWheelZoomsAroundThePointerAndTheMinimapMovesTheView() throws Exception {
        openSynthetic();
        Canvas canvas = w.window.timeline().canvas();
        TimelineRenderer.Layout lay = FxTests.onFx(() -> w.window.timeline().layout());
        double span = FxTests.onFx(() -> timeline().span());
        double px = lay.plotWidth() * 0.25;
        double anchor = FxTests.onFx(() -> timeline().timeAt(px));
        scroll(canvas, lay.labelWidth() + px, lay.lanesTop() + lay.laneHeight() / 2, 400);   // wheel forward
        double zoomed = FxTests.onFx(() -> timeline().span());
        assertThat(zoomed).as("zoomed in").isLessThan(span / 2);
        assertThat(FxTests.onFx(() -> timeline().timeAt(px))).as("the time under the pointer stays put")
                .isCloseTo(anchor, offset(zoomed / lay.plotWidth() * 2));

        // a click in the minimap at three quarters of the run centres the view there
        Point2D at = FxTests.onFx(() -> canvas.localToScreen(lay.labelWidth() + lay.plotWidth() * 0.75,
                lay.minimapTop() + lay.minimapHeight() / 2));
        robot.clickOn(at);
        double runStart = FxTests.onFx(() -> timeline().runStart());
        double runEnd = FxTests.onFx(() -> timeline().runEnd());
        double centre = FxTests.onFx(() -> (timeline().viewStart() + timeline().viewEnd()) / 2);
        assertThat((centre - runStart) / (runEnd - runStart)).isCloseTo(0.75, offset(0.02));
        assertThat(FxTests.onFx(() -> timeline().span())).as("the zoom is kept").isCloseTo(zoomed,
                offset(zoomed * 0.01));
    }

    @Test
    void theConsoleKeepsItsNewestTextWithinItsBound() throws Exception {
        w = WindowFixture.open();
        StringBuilder lots = new StringBuilder();
        for (int i = 0; lots.length() <= ConsoleView.MAX_CHARS + 50_000; i++) {
            lots.append("line ").append(i).append('\n');
        }
        String all = lots.toString();
        FxTests.onFx(() -> w.window.console().append(all));
        String shown = FxTests.onFx(() -> w.window.console().text());
        assertThat(shown.length()).isLessThanOrEqualTo(ConsoleView.MAX_CHARS);
        assertThat(all).endsWith(shown);
        FxTests.onFx(() -> w.window.console().append("the end\n"));
        assertThat(FxTests.onFx(() -> w.window.console().text())).endsWith(all.substring(all.length() - 20) + "the end\n");
    }

    /** A wheel turn over the canvas at local (x, y), as the toolkit delivers it (Monocle's robot has no wheel). */
    private static void scroll(Canvas canvas, double x, double y, double deltaY) {
        FxTests.onFx(() -> {
            Point2D scene = canvas.localToScene(x, y);   // the pick result (which sets the local x, y) is in scene terms
            Point2D s = canvas.localToScreen(x, y);
            canvas.fireEvent(new ScrollEvent(canvas, canvas, ScrollEvent.SCROLL, scene.getX(), scene.getY(), s.getX(),
                    s.getY(), false, false, false, false, false, false, 0, deltaY, 0, deltaY,
                    ScrollEvent.HorizontalTextScrollUnits.NONE, 0, ScrollEvent.VerticalTextScrollUnits.NONE, 0, 0,
                    new PickResult(canvas, scene.getX(), scene.getY())));
            return null;
        });
    }

    private static double distance(Color a, Color b) {
        return Math.abs(a.getRed() - b.getRed()) + Math.abs(a.getGreen() - b.getGreen())
                + Math.abs(a.getBlue() - b.getBlue());
    }
}
