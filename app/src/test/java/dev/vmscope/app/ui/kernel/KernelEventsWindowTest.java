package dev.vmscope.app.ui.kernel;

import dev.vmscope.app.ui.exits.ExitRow;
import dev.vmscope.app.ui.session.UiSession;
import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.Guests;
import dev.vmscope.app.ui.testing.WindowTest;
import dev.vmscope.app.ui.timeline.TimelineRenderer;
import dev.vmscope.app.ui.timeline.TimelineViewModel;
import dev.vmscope.app.ui.walkthrough.WalkthroughViewModel;
import dev.vmscope.engine.kernel.KernelEvent;
import dev.vmscope.engine.kernel.KernelEvents;
import dev.vmscope.engine.trace.ExitColumns;
import dev.vmscope.engine.trace.ExitSource;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuBar;
import javafx.scene.control.TableView;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The window's kernel events on a real guest ({@code longmode} live on /dev/kvm with KVM's tracepoints from
 * this host's tracefs; skipped without tracefs, a failure under VMSCOPE_REQUIRE_KVM=1): on by default, the
 * timeline's kernel sub-lane, the exit list's counts and drill-down, the statistics and the why pane.
 */
class KernelEventsWindowTest extends WindowTest {

    /** Opens longmode with the window's defaults and runs it to its end, kernel side complete. */
    private ExitSource runLongmode() throws Exception {
        Guests.requireTracefs();
        openSampleLive("longmode");
        ExitSource src = w.vm.session().source();
        KernelEvents k = src.kernelEvents();
        assertThat(k.capture().on()).as("kernel events on by default: " + k.capture().note()).isTrue();
        FxTests.onFx(() -> w.vm.resume());
        FxTests.waitUntil("longmode finished with its kernel events", 30, () -> {
            w.frame();
            return w.vm.session().state() == UiSession.State.FINISHED && k.completeUntilNs() == Long.MAX_VALUE
                    && w.vm.timeline().kernel() != null && w.vm.timeline().kernel().complete();
        });
        w.frame();
        return src;
    }

    /** countBetween for exit seq, worked out here from the columns. */
    private static long expectedCount(ExitSource src, long seq) {
        ExitColumns c = src.columns();
        long prev = c.previousOfVcpu(c.vcpu(seq), seq, Long.MAX_VALUE);
        return src.kernelEvents().countBetween(c.vcpu(seq), prev < 0 ? Long.MIN_VALUE : c.timeNs(prev), c.timeNs(seq));
    }

    @Test
    void theWhyPaneListsWhatTheKernelEmulatedBeforeTheFirstExitAndTheStatusBarCountsKernelEvents() throws Exception {
        ExitSource src = runLongmode();
        FxTests.onFx(() -> w.vm.selection().select(0));
        FxTests.waitUntil("the why pane of exit #0 with its kernel events", 20, () -> {
            w.frame();
            return FxTests.onFx(() -> w.window.exitDetails().explanation().text()).contains("mov cr0, eax");
        });
        String why = FxTests.onFx(() -> w.window.exitDetails().explanation().text());
        assertThat(why).contains("What the kernel did since vCPU 0 started")
                .contains("kvm_emulate_insn  emulated mov cr0, eax [0f 22 c0]")
                .contains("wrmsr msr 0xc0000080 = 0x100")          // EFER.LME, through the in-kernel MSR path
                .contains("kvm_pio  out port 0x3f8 size 1 = 0x48 'H'");
        assertThat(why.indexOf("wrmsr msr 0xc0000080")).as("EFER before CR0.PG").isLessThan(why.indexOf("mov cr0, eax"));
        String vmcsNote = FxTests.onFx(() -> w.window.exitDetails().vmcs().viewModel().noteProperty().get());
        if (src.kernelEvents().countsByName().containsKey("kvm_exit")) {
            assertThat(vmcsNote).contains("captured from kvm:kvm_exit");
        } else {
            assertThat(vmcsNote).contains("exit information is derived: kvm:kvm_exit never fired");
        }
        String status = FxTests.onFx(() -> w.vm.statusProperty().get());
        assertThat(status).contains(String.format("%,d kernel events", src.kernelEvents().size()));
    }

    @Test
    void runCaptureKernelEventsTurnsThemOffFromTheNextStart() throws Exception {
        Guests.requireTracefs();
        openSampleLive("longmode");
        assertThat(w.vm.session().source().kernelEvents().capture().on()).as("on by default").isTrue();
        CheckMenuItem item = FxTests.onFx(() -> robot.lookup(".menu-bar").queryAs(MenuBar.class).getMenus().stream()
                .flatMap(m -> m.getItems().stream()).filter(i -> "kernel-events-item".equals(i.getId()))
                .map(CheckMenuItem.class::cast).findFirst().orElseThrow());
        assertThat(FxTests.onFx(item::isSelected)).as("the menu shows them on").isTrue();
        UiSession first = w.vm.session();
        FxTests.onFx(() -> {
            item.setSelected(false);
            w.vm.restart();
        });
        FxTests.waitUntil("longmode restarted, paused at its start", 20, () -> w.vm.session() != null
                && w.vm.session() != first && w.vm.session().state() == UiSession.State.PAUSED);
        assertThat(w.vm.session().source().kernelEvents().capture().on()).as("off after the restart").isFalse();
        FxTests.onFx(() -> w.vm.resume());
        FxTests.waitUntil("longmode finished without kernel events", 30, () -> {
            w.frame();
            return w.vm.session().state() == UiSession.State.FINISHED;
        });
        w.frame();
        assertThat(w.vm.session().source().kernelEvents().size()).isZero();
        assertThat(FxTests.onFx(() -> w.vm.statusProperty().get()))
                .contains("kernel events off (Run ▸ Capture kernel events)");
    }

    @Test
    void theExitListCountsKernelEventsPerExitAndDrillsDownToThem() throws Exception {
        ExitSource src = runLongmode();
        TableView<ExitRow> table = w.window.exitTable().table();
        FxTests.waitUntil("every exit listed", 10, () -> {
            w.frame();
            return FxTests.onFx(() -> (long) table.getItems().size()) == src.columns().size();
        });
        assertThat(FxTests.onFx(() -> table.getColumns().stream()
                .filter(c -> c.getText().equals("kernel")).findFirst().orElseThrow().isVisible())).isTrue();
        for (int i = 0; i < table.getItems().size(); i++) {
            int row = i;
            long shown = FxTests.onFx(() -> table.getItems().get(row).kernelEvents());
            assertThat(shown).as("kernel events before exit #" + i).isEqualTo(expectedCount(src, i));
        }
        long expected = expectedCount(src, 0);
        assertThat(expected).as("longmode emulates its way to the first exit").isGreaterThan(20);
        Stage drill = FxTests.onFx(() -> w.window.exitTable().showKernelEvents(0));
        try {
            @SuppressWarnings("unchecked")
            ListView<Long> list = FxTests.onFx(() -> (ListView<Long>) drill.getScene().lookup("#kernel-event-list"));
            assertThat(FxTests.onFx(() -> list.getItems().size())).isEqualTo((int) expected);
            assertThat(drill.getTitle()).contains("before exit #0").endsWith(String.format("%,d", expected));
            KernelEventList items = (KernelEventList) list.getItems();
            boolean cr0 = false;
            for (Long index : list.getItems()) {
                cr0 |= items.text(index).contains("mov cr0, eax");
            }
            assertThat(cr0).as("the drill-down lists the emulated CR0 write").isTrue();
        } finally {
            FxTests.onFx(drill::close);
        }
    }

    @Test
    void statisticsCountKernelEventsByName() throws Exception {
        ExitSource src = runLongmode();
        showTab("statistics-tab");
        @SuppressWarnings("unchecked")
        BarChart<String, Number> chart = FxTests.onFx(() -> (BarChart<String, Number>) w.stage.getScene()
                .lookup("#stats-kernel"));
        Map<String, Long> counts = src.kernelEvents().countsByName();
        FxTests.waitUntil("the kernel chart", 10, () -> {
            w.frame();
            return FxTests.onFx(() -> bars(chart)).size() == counts.size();
        });
        Map<String, Number> bars = FxTests.onFx(() -> bars(chart));
        counts.forEach((name, n) -> assertThat(bars.get(name.replaceFirst("^kvm_", ""))).as(name).isEqualTo(n));
        assertThat(counts.get("kvm_emulate_insn")).isGreaterThan(20);
    }

    @Test
    void theKernelSubLaneDrawsEachEventAtItsTimeInItsColourAndHoverDescribesIt() throws Exception {
        ExitSource src = runLongmode();
        KernelEvents k = src.kernelEvents();
        long cr0 = -1;
        for (long i = 0; i < k.size() && cr0 < 0; i++) {
            if (k.name(i).equals("kvm_emulate_insn") && k.get(i).summary().contains("mov cr0, eax")) {
                cr0 = i;
            }
        }
        assertThat(cr0).as("the emulated CR0 write").isGreaterThanOrEqualTo(0);
        long t = k.timeNs(cr0);
        TimelineViewModel tl = w.vm.timeline();
        // zoom, draw, count and take the picture in one go on the FX thread, so no frame can move the view between
        record Drawn(TimelineRenderer.Layout lay, int marks, WritableImage img, String view) {
        }
        Drawn drawn = FxTests.onFx(() -> {
            tl.zoom(tl.span() / 4000, tl.plotWidth() / 2);     // 4 µs across: emulated instructions one by one
            tl.centreOn(t);
            w.window.timeline().redrawNow();
            return new Drawn(w.window.timeline().layout(), w.window.timeline().renderer().lastKernelMarks(),
                    w.window.timeline().canvas().snapshot(null, null), String.format("view %s..%s, event at %d,"
                    + " run from %s, built %d of %d", tl.viewStart(), tl.viewEnd(), t, tl.runStart(),
                    tl.kernel().built(0), k.countOf(0)));
        });
        TimelineRenderer.Layout lay = drawn.lay();
        assertThat(drawn.marks()).as("kernel marks: %s", drawn.view()).isGreaterThan(0);
        WritableImage img = drawn.img();
        double x = lay.labelWidth() + tl.xOf(t);
        double y = bandMiddle(lay, 0);
        assertThat(TimelineRenderer.inKernelLane(lay, y)).isTrue();
        Color at = img.getPixelReader().getColor((int) Math.floor(x), (int) Math.floor(y));
        assertThat(close(at, KernelPalette.EMULATE.color())).as("pixel at the event's x: " + at).isTrue();
        // where no kernel event is within 4 px, the band shows no kernel colour
        double empty = -1;
        for (double px = lay.labelWidth() + 5; px < lay.width() - 5 && empty < 0; px += 1) {
            if (tl.kernelHitTest(px - lay.labelWidth() - 4, 0) < 0 && tl.kernelHitTest(px - lay.labelWidth() + 4, 0) < 0
                    && tl.kernelHitTest(px - lay.labelWidth(), 0) < 0) {
                empty = px;
            }
        }
        if (empty >= 0) {
            Color none = img.getPixelReader().getColor((int) empty, (int) Math.floor(y));
            for (KernelPalette kind : KernelPalette.values()) {
                assertThat(close(none, kind.color())).as("no kernel mark at x=" + empty).isFalse();
            }
        }
        FxTests.onFx(() -> tl.hoverKernelAt(x - lay.labelWidth(), 0));
        assertThat(FxTests.onFx(() -> tl.hoverTextProperty().get())).contains("kvm_emulate_insn")
                .contains("mov cr0, eax");
        // the whole run: dense columns from the summary, still marks in the band
        FxTests.onFx(() -> {
            tl.fitAll();
            w.window.timeline().redrawNow();
        });
        assertThat(w.window.timeline().renderer().lastKernelMarks()).isGreaterThan(0);
    }

    @Test
    void theLongmodeWalkthroughShowsWhatTheKernelDidWhenTheGuestWroteCr0AndEfer() throws Exception {
        Guests.requireTracefs();
        openSampleLive("longmode");
        WalkthroughViewModel m = w.window.walkthrough().model();
        FxTests.waitUntil("the walkthrough", 10, () -> m.walkthrough() != null);
        for (int step = 0; step < 2; step++) {
            FxTests.onFx(m::next);
            FxTests.waitUntil("step " + step, 30, () -> {
                w.frame();
                return !m.busyProperty().get();
            });
        }
        assertThat(m.walkthrough().steps().get(1).kernel()).isNotEmpty();
        FxTests.waitUntil("the kernel events of the step", 20, () -> !m.kernelProperty().get().isEmpty());
        String kernel = FxTests.onFx(() -> m.kernelProperty().get());
        assertThat(kernel).contains("In the kernel on the way to exit #0 (vCPU 0)")
                .contains("emulated mov cr0, eax [0f 22 c0]")
                .contains("emulated mov cr4, eax")
                .contains("wrmsr msr 0xc0000080 = 0x100");
    }

    private static double bandMiddle(TimelineRenderer.Layout lay, int lane) {
        double top = lay.lanesTop() + lane * lay.laneHeight();
        double first = -1;
        double last = -1;
        for (double y = top; y < top + lay.laneHeight(); y++) {
            if (TimelineRenderer.inKernelLane(lay, y)) {
                first = first < 0 ? y : first;
                last = y;
            }
        }
        if (first < 0) {
            throw new AssertionError("no kernel band in lane " + lane);
        }
        return Math.floor((first + last) / 2);
    }

    private static boolean close(Color a, Color b) {
        return Math.abs(a.getRed() - b.getRed()) < 0.03 && Math.abs(a.getGreen() - b.getGreen()) < 0.03
                && Math.abs(a.getBlue() - b.getBlue()) < 0.03;
    }

    private static Map<String, Number> bars(BarChart<String, Number> chart) {
        Map<String, Number> m = new HashMap<>();
        for (XYChart.Series<String, Number> s : chart.getData()) {
            for (XYChart.Data<String, Number> d : s.getData()) {
                m.put(d.getXValue(), d.getYValue());
            }
        }
        return m;
    }
}
