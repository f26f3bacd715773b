package dev.vmscope.app.ui.memory;

import dev.vmscope.app.ui.FrameUpdater;
import dev.vmscope.app.ui.disasm.StyledText;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import org.fxmisc.flowless.VirtualizedScrollPane;
import org.fxmisc.richtext.StyleClassedTextArea;
import org.fxmisc.richtext.util.UndoUtils;

/**
 * The memory tab (FXML controller for {@code memory.fxml}): pick a register of the selected exit or type an
 * address (Enter or Go), linear or physical; the hex dump is a read-only RichTextFX area.
 */
public final class MemoryView {
    @FXML private VBox root;
    @FXML private ComboBox<MemoryViewModel.Target> targetBox;
    @FXML private TextField addressField;
    @FXML private Button goButton;
    @FXML private ToggleButton linearButton;
    @FXML private ToggleButton physicalButton;
    @FXML private Label where;
    @FXML private Label message;
    @FXML private StackPane areaHolder;
    /** Measures the width of a character of the dump's (monospaced) type. */
    private static final String PROBE = "0123456789abcdef";
    private final StyleClassedTextArea area = new StyleClassedTextArea();
    private final Text probe = new Text(PROBE);
    private MemoryViewModel vm;

    @FXML
    private void initialize() {
        area.setId("memory-text");
        area.setEditable(false);
        area.setWrapText(false);
        area.setUndoManager(UndoUtils.noOpUndoManager());
        area.getStyleClass().add("hexdump");
        areaHolder.getChildren().add(new VirtualizedScrollPane<>(area));
        areaHolder.needsLayoutProperty().addListener((o, a, b) -> {
            if (!b) {
                measureColumns();
            }
        });
        ToggleGroup g = new ToggleGroup();
        linearButton.setToggleGroup(g);
        physicalButton.setToggleGroup(g);
        linearButton.setSelected(true);
        g.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) {
                g.selectToggle(a);   // one of the two is always on
            }
        });
        linearButton.setTooltip(new Tooltip("Linear: through the vCPU's page tables (as the guest sees it)"));
        physicalButton.setTooltip(new Tooltip("Physical: guest RAM at this address, no translation"));
        addressField.setOnAction(e -> onGo());
    }

    public void bind(MemoryViewModel model, FrameUpdater frames) {
        vm = model;
        FrameUpdater.Slot slot = frames.slot("memory", vm::refresh);
        vm.setMarkDirty(slot::markDirty);
        targetBox.getItems().setAll(MemoryViewModel.TARGETS);
        targetBox.valueProperty().bindBidirectional(vm.targetProperty());
        physicalButton.selectedProperty().bindBidirectional(vm.physicalProperty());
        where.textProperty().bind(vm.whereProperty());
        where.setTooltip(new Tooltip());
        where.getTooltip().textProperty().bind(vm.whereProperty());
        message.textProperty().bind(vm.messageProperty());
        message.visibleProperty().bind(vm.messageProperty().isNotEmpty());
        message.managedProperty().bind(message.visibleProperty());
        areaHolder.visibleProperty().bind(vm.dumpProperty().isNotNull());
        vm.dumpProperty().addListener((o, a, b) -> show(b));
    }

    private void show(HexDump d) {
        if (d == null) {
            area.clear();
            return;
        }
        area.replaceText(d.text());
        area.setStyleSpans(0, StyledText.spans(d.text(), d.spans()));
        area.moveTo(0);
        area.showParagraphAtTop(0);
    }

    /**
     * Tells the model how many characters of the dump's type fit across the area (a narrow pane, such as the
     * presenter's beside the registers, then gets fewer bytes a line and keeps the ASCII column in view). The
     * type is the one the CSS gives the area's text runs, so it is read off a run once there is one.
     */
    private void measureColumns() {
        if (vm == null || areaHolder.getWidth() <= 0 || !(area.lookup(".text") instanceof Text run)) {
            return;
        }
        probe.setFont(run.getFont());
        double ch = probe.getLayoutBounds().getWidth() / PROBE.length();
        int fit = (int) Math.floor(viewWidth(area) / ch) - 1;
        if (fit != vm.columnsProperty().get()) {
            vm.columnsProperty().set(fit);
        }
    }

    /**
     * The width of {@code area} that shows, without its vertical scroll bar: the area itself may be as wide as its
     * longest line, its scroll pane is what the pane has room for.
     */
    private static double viewWidth(StyleClassedTextArea area) {
        if (!(area.getParent() instanceof javafx.scene.layout.Region pane)) {
            return area.getWidth();
        }
        double bar = 0;
        for (javafx.scene.Node n : pane.getChildrenUnmodifiable()) {
            if (n instanceof javafx.scene.control.ScrollBar b && b.isVisible()
                    && b.getOrientation() == javafx.geometry.Orientation.VERTICAL) {
                bar = b.getWidth();
            }
        }
        return pane.getWidth() - pane.snappedLeftInset() - pane.snappedRightInset() - bar - area.snappedLeftInset()
                - area.snappedRightInset();
    }

    @FXML
    private void onGo() {
        if (vm == null) {
            return;
        }
        if (addressField.getText().isBlank() && vm.targetProperty().get() != MemoryViewModel.ADDRESS) {
            vm.invalidate();   // read the register's memory again
        } else {
            vm.goTo(addressField.getText());
        }
    }

    public StyleClassedTextArea area() {
        return area;
    }

    public Label message() {
        return message;
    }

    public VBox root() {
        return root;
    }
}
