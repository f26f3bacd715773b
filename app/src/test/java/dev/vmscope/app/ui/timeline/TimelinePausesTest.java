package dev.vmscope.app.ui.timeline;

import dev.vmscope.app.ui.exits.ExitTableView;
import dev.vmscope.app.ui.session.UiSession;
import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.WindowTest;
import dev.vmscope.engine.time.Pause;
import dev.vmscope.engine.time.TimeText;
import dev.vmscope.engine.trace.ExitSource;
import javafx.scene.control.TableCell;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Time in the window on a real guest held by the debugger, as a lecturer holds it while talking: two seconds
 * before the first instruction and two seconds at exit #0. The held time is not in the axis: "fit whole run"
 * spans the microseconds hello runs, the pause is a mark at its place that says how long it was, and the exit
 * list's times carry their units and count from the first instruction.
 */
class TimelinePausesTest extends WindowTest {
    private static final long HELD_MS = 2_000;

    @Test
    void aPauseOfTwoSecondsLeavesNoTwoSecondsOfAxis() throws Exception {
        openSampleLive("hello");
        Thread.sleep(HELD_MS);      // the hold being measured, not a wait for anything
        robot.clickOn("#timeline-canvas");
        stepExit(1);
        Thread.sleep(HELD_MS);
        stepExit(2);
        robot.type(KeyCode.F5);
        FxTests.waitUntil("hello to finish", 20, () -> {
            w.window.updater().frame();
            return w.vm.session().state() == UiSession.State.FINISHED;
        });
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT0).release(KeyCode.DIGIT0, KeyCode.CONTROL);   // fit whole run
        w.frame();

        ExitSource src = FxTests.onFx(() -> w.vm.session().source());
        TimelineViewModel tl = w.vm.timeline();
        long heldNs = TimeUnit.MILLISECONDS.toNanos(HELD_MS);
        double span = FxTests.onFx(tl::span);
        // hello runs for microseconds (a loaded machine may stretch that, never to a second)
        assertThat(span).as("the whole run's axis").isLessThan(heldNs / 2.0);
        assertThat(src.columns().timeNs(0)).as("exit #0 counts from the first instruction").isLessThan(heldNs / 2);

        List<Pause> pauses = src.pauses();
        assertThat(pauses).as("the hold at exit #0 (and one at exit #1, the step's stop)").isNotEmpty();
        Pause held = pauses.get(0);
        assertThat(held.lengthNs()).isGreaterThanOrEqualTo(heldNs);
        assertThat(held.atNs()).isBetween(src.columns().timeNs(0), src.columns().timeNs(1));

        double x = FxTests.onFx(() -> tl.xOf(held.atNs()));
        FxTests.onFx(() -> tl.hoverAt(x, 0));
        assertThat(FxTests.onFx(() -> tl.hoverTextProperty().get()))
                .isEqualTo("paused " + TimeText.duration(held.lengthNs()) + " in the debugger here (cut out of the axis)");

        ExitTableView list = w.window.exitTable();
        FxTests.onFx(() -> list.table().scrollTo(0));
        w.frame();
        String first = TimeText.instant(src.columns().timeNs(0));
        FxTests.waitUntil("exit #0's time in the list", 5, () -> {
            w.window.updater().frame();
            return robot.lookup(".table-cell").queryAll().stream()
                    .anyMatch(n -> n instanceof TableCell<?, ?> c && first.equals(c.getText()) && !c.isEmpty());
        });
        assertThat(first).matches("[0-9.\u2009]+ (ns|µs|ms)");
    }

    private void stepExit(long size) throws Exception {
        robot.type(KeyCode.F10);
        FxTests.waitUntil("F10 to stop at exit #" + (size - 1), 20, () -> {
            w.window.updater().frame();
            return w.vm.session().state() == UiSession.State.PAUSED && w.vm.session().source().size() == size;
        });
    }
}
