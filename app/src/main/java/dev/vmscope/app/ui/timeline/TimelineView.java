package dev.vmscope.app.ui.timeline;

import dev.vmscope.app.ui.FrameUpdater;
import dev.vmscope.app.ui.kernel.KernelPalette;
import dev.vmscope.app.ui.ReasonPalette;
import javafx.fxml.FXML;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/**
 * The vCPU timeline pane (FXML controller for {@code timeline.fxml}): a canvas redrawn at most once per frame,
 * mouse and keys for zoom, pan and selection, a legend of the reasons in the run.
 *
 * <p>Keys: {@code +}/{@code -} zoom, Left/Right previous/next exit, Shift+Left/Right pan, Ctrl+Left/Right
 * previous/next exit of the same vCPU, Home/End first/last exit, {@code 0} or F fit the whole run, Z zoom to the
 * selected exit and its neighbours. Each wheel notch zooms twice in or out.
 * Mouse: wheel zooms at the pointer, drag pans, click selects, hover shows the exit, click or drag in the
 * minimap moves the view.
 */
public final class TimelineView {
    @FXML private VBox root;
    @FXML private Pane canvasHolder;
    @FXML private FlowPane legend;

    private final Canvas canvas = new Canvas(10, 10);
    private final TimelineRenderer renderer = new TimelineRenderer();
    private final Tooltip tooltip = new Tooltip();
    private TimelineViewModel vm;
    private FrameUpdater.Slot redraw;
    private TimelineStyle style = TimelineStyle.DEFAULT;
    private TimelineRenderer.Layout layout;
    private double dragX = Double.NaN;
    private boolean dragged;
    private boolean draggingMinimap;
    private long legendMask = -1;
    private int legendKernelMask = -1;

    @FXML
    private void initialize() {
        canvas.setId("timeline-canvas");
        canvas.setFocusTraversable(true);
        canvas.setManaged(false);                 // the holder sizes the canvas, never the other way round
        canvasHolder.setMinSize(0, TimelineRenderer.minHeight(1, 1, false));
        canvasHolder.getChildren().add(canvas);
        canvas.widthProperty().bind(canvasHolder.widthProperty());
        canvas.heightProperty().bind(canvasHolder.heightProperty());
        tooltip.setShowDelay(Duration.millis(150));
        tooltip.setHideDelay(Duration.millis(100));
        tooltip.getStyleClass().add("timeline-tooltip");
        canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, this::onPressed);
        canvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::onDragged);
        canvas.addEventHandler(MouseEvent.MOUSE_RELEASED, this::onReleased);
        canvas.addEventHandler(MouseEvent.MOUSE_MOVED, this::onMoved);
        canvas.addEventHandler(MouseEvent.MOUSE_EXITED, e -> vmOrNull(v -> v.clearHover()));
        canvas.addEventHandler(ScrollEvent.SCROLL, this::onScroll);
        canvas.addEventHandler(KeyEvent.KEY_PRESSED, this::onKey);
    }

    private void vmOrNull(java.util.function.Consumer<TimelineViewModel> c) {
        if (vm != null) {
            c.accept(vm);
        }
    }

    /** Connects the view to its model; redraws go through {@code updater}, once per frame at most. */
    public void bind(TimelineViewModel model, FrameUpdater updater) {
        this.vm = model;
        redraw = updater.slot("timeline", this::redrawNow);
        Runnable mark = redraw::markDirty;
        vm.viewStartProperty().addListener(o -> mark.run());
        vm.viewEndProperty().addListener(o -> mark.run());
        vm.sourceProperty().addListener(o -> {
            keepLanesReadable();
            legendMask = -1;
            legendKernelMask = -1;
            mark.run();
        });
        vm.selection().seqProperty().addListener(o -> mark.run());
        vm.setOnSummaryGrew(mark);
        vm.hoverTextProperty().addListener((o, a, b) -> {
            tooltip.setText(b);
            if (b.isEmpty()) {
                Tooltip.uninstall(canvas, tooltip);
            } else {
                Tooltip.install(canvas, tooltip);
            }
        });
        // size changes can land after this frame's redraw (CSS and layout run after animation in a pulse):
        // compare with what was last drawn, every frame
        updater.addPoller(() -> {
            if (layout == null || layout.width() != canvas.getWidth() || layout.height() != canvas.getHeight()) {
                redraw.markDirty();
            }
        });
        mark.run();
    }

    public void setStyle(TimelineStyle s) {
        style = s;
        vm.fontScaleProperty().set(s.fontScale());
        keepLanesReadable();
        redraw.markDirty();
    }

    /** The canvas asks for the height its lanes need to stay readable (a lane count, type size or run changed). */
    private void keepLanesReadable() {
        canvasHolder.setMinHeight(TimelineRenderer.minHeight(vm.lanes(), style.fontScale(),
                TimelineViewModel.hasKernelLanes(vm.source())));
    }

    public void markDirty() {
        redraw.markDirty();
    }

    public Canvas canvas() {
        return canvas;
    }

    public Region root() {
        return root;
    }

    public TimelineRenderer renderer() {
        return renderer;
    }

    /** The geometry of the last frame drawn (null before the first). */
    public TimelineRenderer.Layout layout() {
        return layout;
    }

    /** Draws now (the frame updater calls this; tests may too). */
    public void redrawNow() {
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        if (w < 2 || h < 2) {
            return;
        }
        layout = renderer.render(canvas.getGraphicsContext2D(), w, h, vm, style);
        updateLegend();
    }

    private void updateLegend() {
        long m = renderer.runMask();
        int km = kernelKinds();
        if (m == legendMask && km == legendKernelMask) {
            return;
        }
        legendMask = m;
        legendKernelMask = km;
        legend.getChildren().clear();
        for (long r = m; r != 0; r &= r - 1) {
            int bit = Long.numberOfTrailingZeros(r);
            Region swatch = new Region();
            swatch.getStyleClass().add("legend-swatch");
            swatch.setStyle("-fx-background-color: " + cssOf(bit) + ";");
            Label l = new Label(ReasonPalette.nameOfBit(bit), swatch);
            l.getStyleClass().add("legend-item");
            legend.getChildren().add(l);
        }
        if (km != 0) {
            Label head = new Label("kernel:");
            head.getStyleClass().addAll("legend-item", "muted");
            legend.getChildren().add(head);
        }
        for (KernelPalette k : KernelPalette.values()) {
            if ((km & 1 << k.ordinal()) != 0) {
                Region swatch = new Region();
                swatch.getStyleClass().add("legend-swatch");
                swatch.setStyle("-fx-background-color: " + k.css() + ";");
                Label l = new Label(k.label(), swatch);
                l.getStyleClass().addAll("legend-item", "legend-kernel");
                legend.getChildren().add(l);
            }
        }
    }

    /** The kinds of kernel event in the run so far (a mask of KernelPalette ordinals); 0 without any. */
    private int kernelKinds() {
        if (vm.kernel() == null) {
            return 0;
        }
        int m = 0;
        for (String name : vm.kernel().events().countsByName().keySet()) {
            m |= 1 << KernelPalette.of(name).ordinal();
        }
        return m;
    }

    private static String cssOf(int bit) {
        javafx.scene.paint.Color c = ReasonPalette.colorOfBit(bit);
        return String.format("#%02x%02x%02x", Math.round(c.getRed() * 255), Math.round(c.getGreen() * 255),
                Math.round(c.getBlue() * 255));
    }

    /** The canvas x of exit {@code seq}'s mark and the y of its lane's middle (for tests and hovering). */
    public double[] pointOf(long seq) {
        var c = vm.source().columns();
        double x = layout.labelWidth() + vm.xOf(c.timeNs(seq));
        double y = layout.lanesTop() + (c.vcpu(seq) + 0.5) * layout.laneHeight();
        return new double[]{x, y};
    }

    private void onPressed(MouseEvent e) {
        canvas.requestFocus();
        dragX = e.getX();
        dragged = false;
        draggingMinimap = layout != null && layout.inMinimap(e.getY());
        if (draggingMinimap) {
            minimapTo(e.getX());
        }
    }

    private void minimapTo(double x) {
        double frac = (x - layout.labelWidth()) / layout.plotWidth();
        vm.centreOn(vm.runStart() + Math.max(0, Math.min(1, frac)) * (vm.runEnd() - vm.runStart()));
    }

    private void onDragged(MouseEvent e) {
        if (Double.isNaN(dragX) || layout == null) {
            return;
        }
        if (draggingMinimap) {
            minimapTo(e.getX());
            return;
        }
        double dx = e.getX() - dragX;
        if (Math.abs(dx) >= 2 || dragged) {
            dragged = true;
            vm.panPixels(-dx);
            dragX = e.getX();
        }
    }

    private void onReleased(MouseEvent e) {
        if (!dragged && !draggingMinimap && e.getButton() == MouseButton.PRIMARY && layout != null) {
            int lane = layout.laneAt(e.getY());
            double x = e.getX() - layout.labelWidth();
            if (lane >= 0 && x >= 0) {
                // a kernel mark selects the exit it came before; elsewhere the nearest exit
                boolean kernel = vm.kernel() != null && TimelineRenderer.inKernelLane(layout, e.getY())
                        && vm.clickKernelAt(x, lane) >= 0;
                if (!kernel) {
                    vm.clickAt(x, lane);
                }
            }
        }
        dragX = Double.NaN;
        dragged = false;
        draggingMinimap = false;
    }

    private void onMoved(MouseEvent e) {
        if (layout == null) {
            return;
        }
        int lane = layout.laneAt(e.getY());
        double x = e.getX() - layout.labelWidth();
        if (lane < 0 || x < 0) {
            vm.clearHover();
        } else if (vm.kernel() != null && TimelineRenderer.inKernelLane(layout, e.getY())) {
            vm.hoverKernelAt(x, lane);
        } else {
            vm.hoverAt(x, lane);
        }
    }

    private void onScroll(ScrollEvent e) {
        if (layout == null || e.getDeltaY() == 0) {
            return;
        }
        vm.wheel(e.getDeltaY(), Math.max(0, e.getX() - layout.labelWidth()));
        e.consume();
    }

    private void onKey(KeyEvent e) {
        if (vm == null) {
            return;
        }
        KeyCode k = e.getCode();
        boolean handled = true;
        switch (k) {
            case PLUS, EQUALS, ADD -> vm.zoomIn();
            case MINUS, SUBTRACT -> vm.zoomOut();
            case Z -> vm.zoomToSelection();
            case DIGIT0, F -> {
                vm.followProperty().set(true);
                vm.fitAll();
            }
            case LEFT, RIGHT -> {
                int dir = k == KeyCode.RIGHT ? 1 : -1;
                if (e.isShiftDown()) {
                    vm.panPixels(dir * vm.plotWidth() / 8);
                } else if (e.isShortcutDown()) {
                    vm.selection().moveSameVcpu(dir);
                    vm.ensureVisible(vm.selection().seq());
                } else {
                    vm.selection().move(dir);
                    vm.ensureVisible(vm.selection().seq());
                }
            }
            case UP, DOWN -> {
                vm.selection().move(k == KeyCode.DOWN ? 1 : -1);
                vm.ensureVisible(vm.selection().seq());
            }
            case HOME -> {
                vm.selection().first();
                vm.ensureVisible(vm.selection().seq());
            }
            case END -> {
                vm.selection().last();
                vm.ensureVisible(vm.selection().seq());
            }
            default -> handled = false;
        }
        if (handled) {
            e.consume();
        }
    }
}
