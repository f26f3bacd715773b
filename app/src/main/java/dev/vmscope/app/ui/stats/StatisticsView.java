package dev.vmscope.app.ui.stats;

import dev.vmscope.engine.time.TimeText;
import dev.vmscope.app.ui.ReasonPalette;
import dev.vmscope.app.ui.kernel.KernelPalette;
import dev.vmscope.engine.trace.TraceStatistics;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.util.Duration;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The statistics tab (FXML controller for {@code statistics.fxml}): exits per reason (in the reason's
 * colour), per vCPU, the exit rate over the run, and kernel events per tracepoint (in their kind's colour).
 * Every chart names its axes with their units, and every bar says its value on hover. Beside them, what
 * {@code vmscope stats} counts from the payloads: guest time before each exit and a table of the I/O ports,
 * MSRs and MMIO pages the guest touched, most first; counted only while the tab is showing.
 */
public final class StatisticsView {
    @FXML private HBox root;
    @FXML private BarChart<String, Number> byReason;
    @FXML private BarChart<String, Number> byVcpu;
    @FXML private BarChart<String, Number> rate;
    @FXML private BarChart<String, Number> kernel;
    @FXML private CategoryAxis rateTime;
    @FXML private Label guestTime;
    @FXML private TableView<Access> accesses;
    @FXML private TableColumn<Access, String> accessWhat;
    @FXML private TableColumn<Access, String> accessReads;
    @FXML private TableColumn<Access, String> accessWrites;
    @FXML private TableColumn<Access, String> accessTotal;

    /** One row of the access table: what was touched and how often each way. */
    record Access(String what, long reads, long writes) {
        long total() {
            return reads + writes;
        }
    }

    @FXML
    private void initialize() {
        for (BarChart<String, Number> c : java.util.List.of(byReason, byVcpu, rate, kernel)) {
            c.setAnimated(false);
            c.setLegendVisible(false);
        }
        rate.setBarGap(0);
        rate.setCategoryGap(1);
        accessWhat.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().what()));
        accessReads.setCellValueFactory(c -> new ReadOnlyStringWrapper(String.format("%,d", c.getValue().reads())));
        accessWrites.setCellValueFactory(c -> new ReadOnlyStringWrapper(String.format("%,d", c.getValue().writes())));
        accessTotal.setCellValueFactory(c -> new ReadOnlyStringWrapper(String.format("%,d", c.getValue().total())));
        accesses.setPlaceholder(new Label("no I/O, MSR or MMIO exits"));
    }

    /**
     * Shows {@code vm}'s counts from now on; the payload counts are asked for while this tab is the selected one
     * of its tab pane (or always, outside one).
     */
    public void bind(StatisticsViewModel vm) {
        vm.countsProperty().addListener((o, a, b) -> show(b));
        root.sceneProperty().addListener((o, a, scene) -> {
            if (scene != null) {
                Tab tab = enclosingTab();
                if (tab == null) {
                    vm.setPayloadsWanted(true);
                } else {
                    vm.setPayloadsWanted(tab.isSelected());
                    tab.selectedProperty().addListener((p, was, now) -> vm.setPayloadsWanted(now));
                }
            }
        });
    }

    /** The tab whose content this pane is, or null. */
    private Tab enclosingTab() {
        for (Node n = root.getParent(); n != null; n = n.getParent()) {
            if (n instanceof TabPane tp) {
                return tp.getTabs().stream().filter(t -> t.getContent() == root).findFirst().orElse(null);
            }
        }
        return null;
    }

    private void show(StatisticsViewModel.Counts c) {
        byReason.getData().clear();
        byVcpu.getData().clear();
        rate.getData().clear();
        kernel.getData().clear();
        showPayloads(c == null ? null : c.payloads());
        if (c == null) {
            return;
        }
        XYChart.Series<String, Number> r = new XYChart.Series<>();
        for (int code = 0; code < 256; code++) {
            if (c.byReason()[code] > 0) {
                XYChart.Data<String, Number> d = new XYChart.Data<>(ReasonPalette.name(code), c.byReason()[code]);
                bar(d, "-fx-bar-fill: " + ReasonPalette.css(code) + ";",
                        String.format("%s: %,d exits", ReasonPalette.name(code), c.byReason()[code]));
                r.getData().add(d);
            }
        }
        byReason.getData().add(r);
        XYChart.Series<String, Number> v = new XYChart.Series<>();
        for (int i = 0; i < c.byVcpu().length; i++) {
            XYChart.Data<String, Number> d = new XYChart.Data<>("vCPU " + i, c.byVcpu()[i]);
            bar(d, null, String.format("vCPU %d: %,d exits", i, c.byVcpu()[i]));
            v.getData().add(d);
        }
        byVcpu.getData().add(v);
        XYChart.Series<String, Number> t = new XYChart.Series<>();
        for (int i = 0; i < c.rate().length; i++) {
            String at = TimeText.tick(c.startNs() + i * c.bucketNs(), c.bucketNs());
            XYChart.Data<String, Number> d = new XYChart.Data<>(at, c.rate()[i]);
            bar(d, null, String.format("%s + %s: %,d exits", at, TimeText.duration(c.bucketNs()), c.rate()[i]));
            t.getData().add(d);
        }
        rateTime.setLabel("run time (bars of " + TimeText.duration(c.bucketNs()) + ")");
        rate.getData().add(t);
        showKernel(c);
    }

    /** Styles a bar (when {@code css} is given) and makes it say {@code tip} on hover, once the chart draws it. */
    private static void bar(XYChart.Data<String, Number> d, String css, String tip) {
        d.nodeProperty().addListener((o, a, n) -> {
            if (n != null) {
                if (css != null) {
                    n.setStyle(css);
                }
                Tooltip t = new Tooltip(tip);
                t.setShowDelay(Duration.millis(100));
                Tooltip.install(n, t);
            }
        });
    }

    /** Guest time and the access table, or what they wait for. */
    private void showPayloads(TraceStatistics p) {
        if (p == null) {
            guestTime.setText("counting…");
            accesses.getItems().clear();
            return;
        }
        TraceStatistics.Durations d = p.guestTime();
        guestTime.setText(d.count() == 0 ? "no exits yet" : String.format("min %s · median %s\np99 %s · max %s",
                TimeText.duration(d.min()), TimeText.duration(d.median()), TimeText.duration(d.p99()),
                TimeText.duration(d.max())));
        List<Access> rows = new ArrayList<>();
        p.ioPorts().forEach(a -> rows.add(new Access(String.format("port 0x%04x", a.key()), a.reads(), a.writes())));
        p.msrs().forEach(a -> rows.add(new Access(String.format("MSR 0x%08x", a.key()), a.reads(), a.writes())));
        p.mmioPages().forEach(a -> rows.add(new Access(String.format("MMIO page 0x%x", a.key()), a.reads(),
                a.writes())));
        rows.sort(Comparator.comparingLong(Access::total).reversed());
        accesses.getItems().setAll(rows);
    }

    /** Kernel events per tracepoint, in their kind's colour; the chart says why when there are none. */
    private void showKernel(StatisticsViewModel.Counts c) {
        kernel.setTitle(c.kernelByName().isEmpty() ? "kernel events: none"
                : String.format("kernel events per name (%,d%s)", c.kernelSize(),
                c.kernelLost() > 0 ? String.format(", %,d lost", c.kernelLost()) : ""));
        XYChart.Series<String, Number> k = new XYChart.Series<>();
        c.kernelByName().forEach((name, count) -> {
            XYChart.Data<String, Number> d = new XYChart.Data<>(name.replaceFirst("^kvm_", ""), count);
            bar(d, "-fx-bar-fill: " + KernelPalette.of(name).css() + ";", String.format("%s: %,d events", name, count));
            k.getData().add(d);
        });
        kernel.getData().add(k);
    }
}
