package dev.vmscope.app.ui.stats;

import dev.vmscope.app.ui.ReasonPalette;
import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.SyntheticExits;
import dev.vmscope.app.ui.testing.WindowFixture;
import dev.vmscope.app.ui.testing.WindowTest;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.trace.ExitColumns;
import dev.vmscope.engine.trace.ExitStore;
import dev.vmscope.app.ui.main.Samples;
import dev.vmscope.engine.time.TimeText;
import dev.vmscope.engine.trace.TraceReader;
import dev.vmscope.engine.trace.TraceStatistics;
import javafx.scene.chart.BarChart;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.chart.XYChart;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statistics tab's charts hold the run's counts: per reason, per vCPU, and over time; beside them, while the
 * tab shows, the ports, MMIO pages and guest time that {@code vmscope stats} prints.
 */
class StatisticsViewTest extends WindowTest {

    @Test
    void countsMatchAPlainCountOfTheColumns() {
        ExitStore store = SyntheticExits.fill(20_000, 2, 1_000, 5);
        StatisticsViewModel.Counts c = StatisticsViewModel.count(store);
        ExitColumns cols = store.columns();
        long[] reasons = new long[256];
        long[] vcpus = new long[2];
        for (long q = 0; q < cols.size(); q++) {
            reasons[cols.reasonCode(q)]++;
            vcpus[cols.vcpu(q)]++;
        }
        assertThat(c.exits()).isEqualTo(20_000);
        assertThat(c.byReason()).isEqualTo(reasons);
        assertThat(c.byReason()[KvmExitReason.HLT.code]).as("one final HLT per vCPU").isEqualTo(2);
        assertThat(c.byVcpu()).isEqualTo(vcpus);
        assertThat(Arrays.stream(c.rate()).sum()).isEqualTo(20_000);
        assertThat(c.rate()).hasSize(StatisticsViewModel.RATE_BUCKETS).doesNotContain(0L);   // a steady run
    }

    @Test
    void theStatisticsTabChartsTheOpenRun() throws Exception {
        ExitStore store = SyntheticExits.fill(20_000, 2, 1_000, 5);
        StatisticsViewModel.Counts c = StatisticsViewModel.count(store);
        w = WindowFixture.open();
        FxTests.onFx(() -> w.vm.openReplay(store, "synthetic"));
        showTab("statistics-tab");
        BarChart<String, Number> byReason = chart("#stats-by-reason");
        FxTests.waitUntil("the charts", 10, () -> {
            w.window.updater().frame();
            return !byReason.getData().isEmpty();
        });
        Map<String, Number> bars = FxTests.onFx(() -> bars(byReason));
        assertThat(bars.get(ReasonPalette.name(KvmExitReason.IO.code)))
                .isEqualTo(c.byReason()[KvmExitReason.IO.code]);
        assertThat(bars.get(ReasonPalette.name(KvmExitReason.MMIO.code)))
                .isEqualTo(c.byReason()[KvmExitReason.MMIO.code]);
        assertThat(bars.get(ReasonPalette.name(KvmExitReason.HLT.code))).isEqualTo(2L);
        Map<String, Number> perVcpu = FxTests.onFx(() -> bars(chart("#stats-by-vcpu")));
        assertThat(perVcpu).containsEntry("vCPU 0", c.byVcpu()[0]).containsEntry("vCPU 1", c.byVcpu()[1]);
        long overTime = FxTests.onFx(() -> bars(chart("#stats-rate")).values().stream()
                .mapToLong(Number::longValue).sum());
        assertThat(overTime).isEqualTo(20_000);

        // axes say what they count and in what unit; each bar says its value on hover
        assertThat(FxTests.onFx(() -> byReason.getXAxis().getLabel())).isEqualTo("exit reason");
        assertThat(FxTests.onFx(() -> byReason.getYAxis().getLabel())).isEqualTo("exits");
        assertThat(FxTests.onFx(() -> chart("#stats-rate").getXAxis().getLabel())).startsWith("run time (bars of ")
                .matches(".* (ns|µs|ms|s)\\)");
        String io = ReasonPalette.name(KvmExitReason.IO.code);
        FxTests.waitUntil("the bars drawn", 10, () -> byReason.getData().get(0).getData().stream()
                .allMatch(d -> d.getNode() != null));
        String tip = FxTests.onFx(() -> byReason.getData().get(0).getData().stream().filter(d -> d.getXValue().equals(io))
                .findFirst().map(d -> ((javafx.scene.control.Tooltip) d.getNode().getProperties().values().stream()
                        .filter(v -> v instanceof javafx.scene.control.Tooltip).findFirst().orElseThrow()).getText())
                .orElseThrow());
        assertThat(tip).isEqualTo(String.format("%s: %,d exits", io, c.byReason()[KvmExitReason.IO.code]));
    }

    @Test
    void whileShownTheTabListsPortsMmioPagesAndGuestTimeAsTheStatsCommandCountsThem() throws Exception {
        ExitStore store = TraceReader.open(Samples.directory().resolve("mmio/mmio.vmtrace")).source();
        TraceStatistics expected = TraceStatistics.of(store);
        w = WindowFixture.open();
        FxTests.onFx(() -> w.vm.openReplay(store, "mmio"));
        FxTests.waitUntil("the column counts", 10, () -> {
            w.window.updater().frame();
            return w.vm.statistics().countsProperty().get() != null;
        });
        assertThat(FxTests.onFx(() -> w.vm.statistics().countsProperty().get().payloads()))
                .as("payloads decode every exit: not counted while the tab is hidden").isNull();

        showTab("statistics-tab");
        TableView<?> table = FxTests.onFx(() -> (TableView<?>) w.stage.getScene().lookup("#stats-accesses"));
        FxTests.waitUntil("the access table", 10, () -> {
            w.window.updater().frame();
            return !table.getItems().isEmpty();
        });
        List<List<String>> rows = FxTests.onFx(() -> {
            List<List<String>> out = new ArrayList<>();
            for (int r = 0; r < table.getItems().size(); r++) {
                List<String> cells = new ArrayList<>();
                for (TableColumn<?, ?> col : table.getColumns()) {
                    cells.add(String.valueOf(col.getCellData(r)));
                }
                out.add(cells);
            }
            return out;
        });
        // the sample writes 34 characters to the UART and reads once, writes three times to its MMIO page
        assertThat(rows).containsExactly(List.of("port 0x03f8", "0", "34", "34"),
                List.of("MMIO page 0xd0000000", "1", "3", "4"));
        assertThat(expected.ioPorts()).singleElement().extracting(TraceStatistics.Access::writes).isEqualTo(34L);
        TraceStatistics.Durations d = expected.guestTime();
        assertThat(FxTests.onFx(() -> ((Label) w.stage.getScene().lookup("#stats-guest-time")).getText()))
                .isEqualTo("min " + TimeText.duration(d.min()) + " · median " + TimeText.duration(d.median())
                        + "\np99 " + TimeText.duration(d.p99()) + " · max " + TimeText.duration(d.max()));
    }

    @SuppressWarnings("unchecked")
    private BarChart<String, Number> chart(String id) {
        return FxTests.onFx(() -> (BarChart<String, Number>) w.stage.getScene().lookup(id));
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
