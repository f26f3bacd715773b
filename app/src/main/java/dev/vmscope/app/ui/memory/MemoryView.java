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
    private final StyleClassedTextArea area = new StyleClassedTextArea();
    private MemoryViewModel vm;

    @FXML
    private void initialize() {
        area.setId("memory-text");
        area.setEditable(false);
        area.setWrapText(false);
        area.setUndoManager(UndoUtils.noOpUndoManager());
        area.getStyleClass().add("hexdump");
        areaHolder.getChildren().add(new VirtualizedScrollPane<>(area));
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
