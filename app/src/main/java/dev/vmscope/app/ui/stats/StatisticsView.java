package dev.vmscope.app.ui.stats;

import dev.vmscope.app.ui.ReasonPalette;
import dev.vmscope.app.ui.kernel.KernelPalette;
import javafx.fxml.FXML;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.XYChart;
import javafx.scene.layout.HBox;

/**
 * The statistics tab (FXML controller for {@code statistics.fxml}): exits per reason (in the reason's
 * colour), per vCPU, the exit rate over the run, and kernel events per tracepoint (in their kind's colour).
 */
public final class StatisticsView {
    @FXML private HBox root;
    @FXML private BarChart<String, Number> byReason;
    @FXML private BarChart<String, Number> byVcpu;
    @FXML private BarChart<String, Number> rate;
    @FXML private BarChart<String, Number> kernel;

    @FXML
    private void initialize() {
        for (BarChart<String, Number> c : java.util.List.of(byReason, byVcpu, rate, kernel)) {
            c.setAnimated(false);
            c.setLegendVisible(false);
        }
        rate.setBarGap(0);
        rate.setCategoryGap(1);
    }

    public void bind(StatisticsViewModel vm) {
        vm.countsProperty().addListener((o, a, b) -> show(b));
    }

    private void show(StatisticsViewModel.Counts c) {
        byReason.getData().clear();
        byVcpu.getData().clear();
        rate.getData().clear();
        kernel.getData().clear();
        if (c == null) {
            return;
        }
        XYChart.Series<String, Number> r = new XYChart.Series<>();
        for (int code = 0; code < 256; code++) {
            if (c.byReason()[code] > 0) {
                XYChart.Data<String, Number> d = new XYChart.Data<>(ReasonPalette.name(code), c.byReason()[code]);
                String css = "-fx-bar-fill: " + ReasonPalette.css(code) + ";";
                d.nodeProperty().addListener((o, a, n) -> {
                    if (n != null) {
                        n.setStyle(css);
                    }
                });
                r.getData().add(d);
            }
        }
        byReason.getData().add(r);
        XYChart.Series<String, Number> v = new XYChart.Series<>();
        for (int i = 0; i < c.byVcpu().length; i++) {
            v.getData().add(new XYChart.Data<>("vCPU " + i, c.byVcpu()[i]));
        }
        byVcpu.getData().add(v);
        XYChart.Series<String, Number> t = new XYChart.Series<>();
        for (int i = 0; i < c.rate().length; i++) {
            double startUs = (c.startNs() + i * c.bucketNs()) / 1000;
            t.getData().add(new XYChart.Data<>(startUs >= 1000 ? String.format("%.1f ms", startUs / 1000)
                    : String.format("%.0f µs", startUs), c.rate()[i]));
        }
        rate.getData().add(t);
        showKernel(c);
    }

    /** Kernel events per tracepoint, in their kind's colour; the chart says why when there are none. */
    private void showKernel(StatisticsViewModel.Counts c) {
        kernel.setTitle(c.kernelByName().isEmpty() ? "kernel events: none"
                : String.format("kernel events per name (%,d%s)", c.kernelSize(),
                c.kernelLost() > 0 ? String.format(", %,d lost", c.kernelLost()) : ""));
        XYChart.Series<String, Number> k = new XYChart.Series<>();
        c.kernelByName().forEach((name, count) -> {
            XYChart.Data<String, Number> d = new XYChart.Data<>(name.replaceFirst("^kvm_", ""), count);
            String css = "-fx-bar-fill: " + KernelPalette.of(name).css() + ";";
            d.nodeProperty().addListener((o, a, n) -> {
                if (n != null) {
                    n.setStyle(css);
                }
            });
            k.getData().add(d);
        });
        kernel.getData().add(k);
    }
}
