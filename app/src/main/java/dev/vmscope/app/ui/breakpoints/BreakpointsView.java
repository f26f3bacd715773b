package dev.vmscope.app.ui.breakpoints;

import dev.vmscope.app.ui.FrameUpdater;
import dev.vmscope.app.ui.ReasonPalette;
import dev.vmscope.engine.debug.AddressBreakpoint;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import javafx.util.StringConverter;

import java.util.Map;

/**
 * The breakpoints panel (FXML controller for {@code breakpoints.fxml}): one row per exit reason with its
 * palette colour, the conditions inline once checked (Enter applies, Esc reverts, … opens a small form), the
 * hit count and the engine's error for a bad condition right under the row; then the address breakpoints
 * and a line to add one.
 */
public final class BreakpointsView {
    private static final Map<String, String> ABOUT = Map.ofEntries(
            Map.entry("IO", "Port I/O (IN, OUT, INS, OUTS) that KVM hands to vmscope's devices, e.g. the UART"),
            Map.entry("MMIO", "A load or store to guest-physical memory with no RAM behind it (EPT violation)"),
            Map.entry("HLT", "The guest halted its vCPU (HLT with nothing to wake it in KVM)"),
            Map.entry("RDMSR", "RDMSR of an MSR that KVM sends to user space"),
            Map.entry("WRMSR", "WRMSR of an MSR that KVM sends to user space"),
            Map.entry("SHUTDOWN", "A triple fault: the CPU shut down"),
            Map.entry("DEBUG", "A debug trap: single step or a hardware breakpoint"),
            Map.entry("EXCEPTION", "A guest exception KVM reports to user space"),
            Map.entry("INTR", "KVM_RUN interrupted by a signal, e.g. a pause"),
            Map.entry("FAIL_ENTRY", "VM entry failed: invalid guest state"),
            Map.entry("INTERNAL_ERROR", "KVM could not emulate something (e.g. an instruction)"),
            Map.entry("SYSTEM_EVENT", "A reset, shutdown or crash event"),
            Map.entry("HYPERCALL", "A hypercall sent to user space"),
            Map.entry("IRQ_WINDOW_OPEN", "The guest can take an interrupt now"));

    @FXML private VBox root;
    @FXML private Label hint;
    @FXML private ScrollPane scroll;
    @FXML private VBox reasonBox;
    @FXML private javafx.scene.control.TitledPane moreReasons;
    @FXML private VBox moreBox;
    @FXML private Label addressTitle;
    @FXML private VBox addressBox;
    @FXML private TextField addressField;
    @FXML private ChoiceBox<AddressBreakpoint.Kind> kindChoice;
    @FXML private ChoiceBox<Integer> lengthChoice;
    @FXML private Button addButton;
    @FXML private Label addressMessage;
    @FXML private Label saveError;

    private BreakpointsViewModel vm;
    private FrameUpdater.Slot countsSlot;

    @FXML
    private void initialize() {
        kindChoice.getItems().setAll(AddressBreakpoint.Kind.values());
        kindChoice.setValue(AddressBreakpoint.Kind.EXECUTE);
        kindChoice.setConverter(new StringConverter<>() {
            @Override
            public String toString(AddressBreakpoint.Kind k) {
                return k == null ? "" : switch (k) {
                    case EXECUTE -> "execute";
                    case WRITE -> "write";
                    case READ_WRITE -> "read/write";
                };
            }

            @Override
            public AddressBreakpoint.Kind fromString(String s) {
                return null;
            }
        });
        lengthChoice.getItems().setAll(1, 2, 4, 8);
        lengthChoice.setValue(1);
        lengthChoice.setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer n) {
                return n == null ? "" : n + (n == 1 ? " byte" : " bytes");
            }

            @Override
            public Integer fromString(String s) {
                return null;
            }
        });
        tip(kindChoice, "Stop when the guest executes the instruction at the address, writes to it, or reads or "
                + "writes it (data breakpoints must be aligned to their length)");
        tip(addressField, "A linear address in hex (0x optional); the CPU compares it with the addresses the guest "
                + "uses, after segmentation and before paging. Enter adds it.");
        addressField.setOnAction(e -> onAddAddress());
    }

    private static void tip(javafx.scene.control.Control c, String text) {
        Tooltip t = new Tooltip(text);
        t.setShowDuration(Duration.seconds(15));
        t.setWrapText(true);
        t.setMaxWidth(420);
        c.setTooltip(t);
    }

    /** Builds the rows for {@code model}; hit counts refresh through a slot of {@code frames} (once per frame). */
    public void bind(BreakpointsViewModel model, FrameUpdater frames) {
        vm = model;
        countsSlot = frames.slot("breakpoint hits", vm::requestCounts);
        vm.setWantCounts(countsSlot::markDirty);
        hint.textProperty().bind(vm.hintProperty());
        hint.visibleProperty().bind(vm.hintProperty().isNotEmpty());
        hint.managedProperty().bind(hint.visibleProperty());
        reasonBox.getChildren().clear();
        moreBox.getChildren().clear();
        for (ReasonBreakpoint r : vm.reasons()) {
            (r.common() ? reasonBox : moreBox).getChildren().add(reasonRow(r));
            if (!r.common()) {
                r.checkedProperty().addListener((o, a, b) -> {
                    if (b) {
                        moreReasons.setExpanded(true);   // a checked breakpoint is never hidden
                    }
                });
            }
        }
        // keyboard users: whatever takes focus in the panel scrolls into view
        root.sceneProperty().addListener((o, a, sc) -> {
            if (sc != null) {
                sc.focusOwnerProperty().addListener((x, was, now) -> {
                    if (now != null && isInside(now, scroll.getContent())) {
                        reveal(now);
                    }
                });
            }
        });
        vm.addresses().addListener((ListChangeListener<AddressBreakpointRow>) c -> rebuildAddresses());
        rebuildAddresses();
        addressTitle.textProperty().bind(Bindings.createStringBinding(() -> {
            int n = vm.addresses().size();
            return "Break on address (hardware) · " + n + " of " + BreakpointsViewModel.MAX_ADDRESS
                    + (n >= BreakpointsViewModel.MAX_ADDRESS ? " — full: the CPU has four debug registers" : "");
        }, vm.addresses()));
        addressField.disableProperty().bind(vm.editableProperty().not());
        kindChoice.disableProperty().bind(vm.editableProperty().not());
        lengthChoice.disableProperty().bind(vm.editableProperty().not()
                .or(kindChoice.valueProperty().isEqualTo(AddressBreakpoint.Kind.EXECUTE)));
        addButton.disableProperty().bind(vm.editableProperty().not().or(vm.fullProperty()));
        addressMessage.textProperty().bind(vm.addressMessageProperty());
        addressMessage.visibleProperty().bind(vm.addressMessageProperty().isNotEmpty());
        addressMessage.managedProperty().bind(addressMessage.visibleProperty());
        saveError.textProperty().bind(vm.saveErrorProperty());
        saveError.visibleProperty().bind(vm.saveErrorProperty().isNotEmpty());
        saveError.managedProperty().bind(saveError.visibleProperty());
    }

    private static boolean isInside(javafx.scene.Node n, javafx.scene.Node ancestor) {
        for (javafx.scene.Node p = n; p != null; p = p.getParent()) {
            if (p == ancestor) {
                return true;
            }
        }
        return false;
    }

    /** Scrolls the panel so {@code n} (a node inside it) is in view; expands "more reasons" if it is there. */
    public void reveal(javafx.scene.Node n) {
        if (isInside(n, moreBox) && !moreReasons.isExpanded()) {
            moreReasons.setExpanded(true);
        }
        javafx.scene.Node content = scroll.getContent();
        content.applyCss();
        if (content instanceof javafx.scene.Parent p) {
            p.layout();
        }
        javafx.geometry.Bounds b = content.sceneToLocal(n.localToScene(n.getBoundsInLocal()));
        double contentH = content.getBoundsInLocal().getHeight();
        double viewH = scroll.getViewportBounds().getHeight();
        if (contentH <= viewH || b == null) {
            return;
        }
        double top = (contentH - viewH) * scroll.getVvalue();
        double y = b.getMinY() < top ? b.getMinY() : b.getMaxY() > top + viewH ? b.getMaxY() - viewH : top;
        scroll.setVvalue(Math.max(0, Math.min(1, y / (contentH - viewH))));
    }

    /** Asks for fresh hit counts at the next frame (any thread). */
    public void markCountsDirty() {
        if (countsSlot != null) {
            countsSlot.markDirty();
        }
    }

    private VBox reasonRow(ReasonBreakpoint r) {
        String id = r.name();
        Region swatch = new Region();
        swatch.getStyleClass().add("legend-swatch");
        swatch.setStyle("-fx-background-color: " + ReasonPalette.css(r.reason().code) + ";");
        CheckBox box = new CheckBox(r.name());
        box.setId("bp-reason-" + id);
        box.setGraphic(swatch);
        box.setMnemonicParsing(false);
        box.selectedProperty().bindBidirectional(r.checkedProperty());
        box.disableProperty().bind(vm.editableProperty().not());
        tip(box, ABOUT.getOrDefault(r.name(), r.name()) + ".\nChecked: the guest stops at every such exit, or only"
                + " at those that meet the conditions. Unchecked: the breakpoint is off and keeps its count.");
        Label hits = hitsLabel("bp-hits-" + id, r);
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox line = new HBox(4, box, gap, hits);
        line.setAlignment(Pos.CENTER_LEFT);

        TextField cond = new TextField(r.conditionsProperty().get());
        cond.setId("bp-cond-" + id);
        cond.getStyleClass().addAll("bp-cond", "mono");
        cond.setPromptText(r.example());
        tip(cond, "Conditions, all optional: " + r.example() + (r.example().contains("vcpu") ? "" : " vcpu=N hit=N")
                + "\n  port, addr, index, rip: a value or a range A-B (hex 0x… or decimal)"
                + "\n  in/out, read/write: only that direction"
                + "\n  vcpu=N: only that vCPU · hit=N: stop from the Nth match on"
                + "\nEnter applies them, Esc reverts.");
        cond.disableProperty().bind(vm.editableProperty().not());
        HBox.setHgrow(cond, Priority.ALWAYS);
        cond.setMaxWidth(Double.MAX_VALUE);
        cond.setPrefColumnCount(8);
        cond.setOnAction(e -> vm.setConditions(r, cond.getText()));
        cond.focusedProperty().addListener((o, was, now) -> {
            if (!now && !cond.getText().trim().equals(r.conditionsProperty().get())) {
                vm.setConditions(r, cond.getText());
            }
        });
        cond.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                cond.setText(r.conditionsProperty().get());
                e.consume();
            }
        });
        r.conditionsProperty().addListener((o, a, b) -> {
            if (!cond.getText().trim().equals(b)) {
                cond.setText(b);
            }
        });
        Button more = new Button("…");
        more.setId("bp-edit-" + id);
        more.getStyleClass().add("bp-small-button");
        tip(more, "Edit the conditions in a form");
        more.disableProperty().bind(vm.editableProperty().not());
        more.setOnAction(e -> ConditionsDialog.edit(r, cond.getText(), root.getScene() == null ? null
                : root.getScene().getWindow()).ifPresent(text -> {
                    cond.setText(text);
                    vm.setConditions(r, text);
                }));
        HBox condLine = new HBox(2, cond, more);
        condLine.setAlignment(Pos.CENTER_LEFT);
        condLine.getStyleClass().add("bp-cond-line");
        condLine.visibleProperty().bind(r.checkedProperty());
        condLine.managedProperty().bind(condLine.visibleProperty());

        Label error = errorLabel("bp-error-" + id, r.errorProperty());
        VBox row = new VBox(1, line, condLine, error);
        row.setId("bp-row-" + id);
        row.getStyleClass().add("bp-row");
        showsStopped(row, r);
        return row;
    }

    private void rebuildAddresses() {
        addressBox.getChildren().clear();
        int i = 0;
        for (AddressBreakpointRow a : vm.addresses()) {
            addressBox.getChildren().add(addressRow(a, i++));
        }
    }

    private VBox addressRow(AddressBreakpointRow a, int index) {
        CheckBox box = new CheckBox(a.label());
        box.setId("bp-address-" + index);
        box.getStyleClass().add("mono");
        box.setMnemonicParsing(false);
        box.selectedProperty().bindBidirectional(a.enabledProperty());
        box.disableProperty().bind(vm.editableProperty().not());
        tip(box, "Unchecked: off, and its debug register is free for another");
        Label hits = hitsLabel("bp-address-hits-" + index, a);
        Button delete = new Button("✕");
        delete.setId("bp-address-delete-" + index);
        delete.getStyleClass().add("bp-small-button");
        delete.disableProperty().bind(vm.editableProperty().not());
        tip(delete, "Delete this address breakpoint");
        delete.setOnAction(e -> vm.removeAddress(a));
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox line = new HBox(4, box, gap, hits, delete);
        line.setAlignment(Pos.CENTER_LEFT);
        VBox row = new VBox(1, line, errorLabel("bp-address-error-" + index, a.errorProperty()));
        row.getStyleClass().add("bp-row");
        showsStopped(row, a);
        return row;
    }

    /** {@code row} carries the stopped pseudo-class while the guest is paused on {@code r}. */
    private static void showsStopped(VBox row, BreakpointRow r) {
        pseudo(row, r.stoppedProperty().get());
        r.stoppedProperty().addListener((o, was, now) -> pseudo(row, now));
    }

    private static Label hitsLabel(String id, BreakpointRow r) {
        var hits = r.hitsProperty();
        var stopped = r.stoppedProperty();
        Label l = new Label();
        l.setId(id);
        l.getStyleClass().add("bp-hits");
        l.setMinWidth(Region.USE_PREF_SIZE);
        l.textProperty().bind(Bindings.createStringBinding(() -> {
            long n = hits.get();
            if (n < 0) {
                return "";
            }
            return (stopped.get() ? "◆ " : "") + n + (n == 1 ? " hit" : " hits");
        }, hits, stopped));
        Tooltip t = new Tooltip("Exits that matched in this run (counted from the first, even while hit=N holds"
                + " the stop back); ◆ the guest is paused here");
        t.setWrapText(true);
        t.setMaxWidth(360);
        l.setTooltip(t);
        return l;
    }

    private static Label errorLabel(String id, javafx.beans.property.StringProperty error) {
        Label l = new Label();
        l.setId(id);
        l.getStyleClass().add("bp-error");
        l.setWrapText(true);
        l.setMaxWidth(Double.MAX_VALUE);
        l.setMinHeight(Region.USE_PREF_SIZE);
        l.textProperty().bind(error);
        l.visibleProperty().bind(error.isNotEmpty());
        l.managedProperty().bind(l.visibleProperty());
        return l;
    }

    private static void pseudo(Region row, boolean stopped) {
        row.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("stopped"), stopped);
    }

    public BreakpointsViewModel viewModel() {
        return vm;
    }

    public VBox root() {
        return root;
    }

    @FXML
    private void onAddAddress() {
        if (vm != null && vm.addAddress(addressField.getText(), kindChoice.getValue(), lengthChoice.getValue())) {
            addressField.clear();
        }
    }
}
