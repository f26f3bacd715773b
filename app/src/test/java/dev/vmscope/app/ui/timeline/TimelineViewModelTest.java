package dev.vmscope.app.ui.timeline;

import dev.vmscope.app.ui.ExitSelection;
import dev.vmscope.app.ui.testing.SyntheticExits;
import dev.vmscope.engine.trace.ExitColumns;
import dev.vmscope.engine.trace.ExitStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Zoom, pan and hit-testing, with no toolkit running. */
class TimelineViewModelTest {

    private static TimelineViewModel model(ExitStore store) {
        ExitSelection sel = new ExitSelection();
        sel.setColumns(store.columns());
        TimelineViewModel vm = new TimelineViewModel(sel);
        vm.setPlotWidth(1000);
        vm.setSourceForTest(store);
        return vm;
    }

    /**
     * A run as long as a 10M-exit ioloop run (80 s: 10M exits 8 µs apart): the wheel reaches a view of a few
     * dozen such exits (400 µs) in at most 25 notches, the time under the pointer staying put; Z zooms straight to
     * the selected exit and its neighbours.
     */
    @Test
    void wheelNotchesReachSingleExitsOfATenMillionExitRunAndZToTheSelection() {
        ExitStore store = SyntheticExits.fill(200_000, 1, 400_000, 3);
        TimelineViewModel vm = model(store);
        assertThat(vm.span()).isGreaterThan(79e9);
        double anchorX = 612;
        double anchor = vm.timeAt(anchorX);
        int notches = 0;
        while (vm.span() > 50 * 8_000 && notches < 100) {
            vm.wheel(40, anchorX);
            notches++;
            assertThat(vm.timeAt(anchorX)).isCloseTo(anchor, within(vm.nsPerPixel()));
        }
        assertThat(notches).isLessThanOrEqualTo(25);
        vm.wheel(-40 * notches, anchorX);
        assertThat(vm.span()).isGreaterThan(79e9);

        long seq = 123_456;
        vm.selection().select(seq);
        vm.zoomToSelection();
        ExitColumns c = store.columns();
        assertThat(vm.viewStart()).isLessThanOrEqualTo(c.timeNs(seq - 10));
        assertThat(vm.viewEnd()).isGreaterThanOrEqualTo(c.timeNs(seq + 10));
        assertThat(vm.xOf(c.timeNs(seq))).isCloseTo(vm.plotWidth() / 2, within(1.0));
        assertThat(vm.span()).isLessThan(100 * 400_000.0);
    }

    @Test
    void fitShowsTheWholeRunAndZoomKeepsTheAnchorStill() {
        ExitStore store = SyntheticExits.fill(10_000, 2, 1_000, 1);
        TimelineViewModel vm = model(store);
        double end = store.columns().timeNs(9_999);
        assertThat(vm.viewStart()).isLessThanOrEqualTo(0);
        assertThat(vm.viewEnd()).isGreaterThanOrEqualTo(end);
        double anchor = vm.timeAt(300);
        vm.zoom(8, 300);
        assertThat(vm.timeAt(300)).isCloseTo(anchor, within(1.0));
        assertThat(vm.followProperty().get()).isFalse();
        double span = vm.span();
        vm.panPixels(100);
        assertThat(vm.span()).isCloseTo(span, within(1e-6));
        assertThat(vm.timeAt(0)).isCloseTo(anchor - 300 * vm.nsPerPixel() + 100 * vm.nsPerPixel(), within(1.0));
    }

    @Test
    void zoomStopsAtOneNanosecondPerPixel() {
        TimelineViewModel vm = model(SyntheticExits.fill(1_000, 1, 1_000, 2));
        for (int i = 0; i < 100; i++) {
            vm.zoomIn();
        }
        assertThat(vm.nsPerPixel()).isCloseTo(TimelineViewModel.MIN_NS_PER_PIXEL, within(1e-6));
    }

    @Test
    void clickingAMarkSelectsThatExitOnThatLaneOnly() {
        ExitStore store = SyntheticExits.fill(2_000, 2, 5_000, 3);
        TimelineViewModel vm = model(store);
        ExitColumns c = store.columns();
        long target = 1_234;
        // zoom so exits are well apart, centred on the target
        vm.zoom(vm.span() / (c.timeNs(target + 5) - c.timeNs(target - 5)), 500);
        vm.centreOn(c.timeNs(target));
        double x = vm.xOf(c.timeNs(target));
        assertThat(vm.clickAt(x + 1, c.vcpu(target))).isEqualTo(target);
        assertThat(vm.selection().seq()).isEqualTo(target);
        long other = vm.hitTest(x, 1 - c.vcpu(target));
        assertThat(other).isNotEqualTo(target);
        if (other >= 0) {
            assertThat(c.vcpu(other)).isEqualTo(1 - c.vcpu(target));
        }
        assertThat(vm.hitTest(-10_000, 0)).isEqualTo(-1);
    }

    @Test
    void ensureVisibleBringsAnExitIntoView() {
        ExitStore store = SyntheticExits.fill(5_000, 1, 1_000, 4);
        TimelineViewModel vm = model(store);
        vm.zoom(100, 0);
        double t = store.columns().timeNs(4_900);
        assertThat(t).isGreaterThan(vm.viewEnd());
        vm.ensureVisible(4_900);
        assertThat(t).isBetween(vm.viewStart(), vm.viewEnd());
    }

    @Test
    void theViewNeverLeavesTheRun() {
        ExitStore store = SyntheticExits.fill(5_000, 1, 1_000, 5);
        TimelineViewModel vm = model(store);
        double end = store.columns().timeNs(4_999);
        vm.zoom(10, 500);
        vm.centreOn(end);                     // centring on the last exit stops at the end of the run
        assertThat(vm.viewEnd()).isLessThan(end * 1.02 + 2);
        vm.panPixels(-1e9);
        assertThat(vm.viewStart()).isGreaterThan(store.columns().timeNs(0) - end * 0.02 - 2);
        vm.zoom(0.001, 0);                    // zooming far out shows the whole run, centred
        assertThat(vm.viewStart()).isLessThanOrEqualTo(store.columns().timeNs(0));
        assertThat(vm.viewEnd()).isGreaterThanOrEqualTo(end);
    }
}
